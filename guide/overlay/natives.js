/*
 * natives.js — every DOM/BOM function the overlay calls, captured when the script is injected.
 *
 * guide/overlay.py injects the overlay with add_init_script: it runs before any page script.
 * A page may later patch prototypes (Node.prototype.appendChild, the textContent setter,
 * Document.prototype.createElement…) to reach the nodes of the card and rewrite its words.
 * The overlay never looks a method up on an object at call time: it calls these originals,
 * uncurried (`N.appendChild(parent, child)`), so a later patch never sees one of its nodes.
 * Function.prototype.call itself is bound here, so patching it later changes nothing either.
 *
 * makeNatives(W) -> frozen N: N.<name>(thisArg, ...args) for methods, N.<name>(obj) for
 * getters, N.set<Name>(obj, value) for setters, plus the few JS built-ins the overlay needs.
 */
function makeNatives(W) {
  var O = W.Object;
  var describe = O.getOwnPropertyDescriptor;
  var protoOf = O.getPrototypeOf;
  var FP = W.Function.prototype;
  var uncurry = FP.bind.bind(FP.call);  // uncurry(f)(self, a, b) === f.call(self, a, b), forever

  function descriptor(proto, name) {
    for (var p = proto; p; p = protoOf(p)) {
      var d = describe(p, name);
      if (d) return d;
    }
    return null;
  }

  // A browser without a feature (an old Chromium without popovers): fail where it is used.
  function lacking(name) {
    return function () { throw new W.Error('this browser lacks ' + name); };
  }

  function method(proto, name) {
    var d = descriptor(proto, name);
    return d && typeof d.value === 'function' ? uncurry(d.value) : lacking(name);
  }
  function getter(proto, name) {
    var d = descriptor(proto, name);
    return d && d.get ? uncurry(d.get) : lacking(name);
  }
  function setter(proto, name) {
    var d = descriptor(proto, name);
    return d && d.set ? uncurry(d.set) : lacking(name);
  }
  function has(proto, name) { return !!descriptor(proto, name); }

  var NodeP = W.Node.prototype, ElementP = W.Element.prototype, HTMLP = W.HTMLElement.prototype;
  var DocP = W.Document.prototype, ShadowP = W.ShadowRoot.prototype, EventP = W.Event.prototype;
  var KeyP = W.KeyboardEvent.prototype, StyleP = W.CSSStyleDeclaration.prototype;
  var Sheet = W.CSSStyleSheet;
  var perf = W.performance, perfNow = method(W.Performance.prototype, 'now');
  var regexpExec = method(W.RegExp.prototype, 'exec');
  var hasOwn = method(O.prototype, 'hasOwnProperty');
  var defineProperty = O.defineProperty;
  var replaceSync = method(Sheet.prototype, 'replaceSync');
  var popovers = has(HTMLP, 'showPopover');
  var setTimeout_ = method(W, 'setTimeout'), clearTimeout_ = method(W, 'clearTimeout');
  var queueMicrotask_ = method(W, 'queueMicrotask');
  var boundingRect = method(ElementP, 'getBoundingClientRect');
  var RectP = W.DOMRectReadOnly.prototype;
  var left = getter(RectP, 'left'), top = getter(RectP, 'top');
  var right = getter(RectP, 'right'), bottom = getter(RectP, 'bottom');

  return O.freeze({
    // Node
    appendChild: method(NodeP, 'appendChild'),
    insertBefore: method(NodeP, 'insertBefore'),
    removeChild: method(NodeP, 'removeChild'),
    contains: method(NodeP, 'contains'),
    getRootNode: method(NodeP, 'getRootNode'),
    parentNode: getter(NodeP, 'parentNode'),
    firstChild: getter(NodeP, 'firstChild'),
    isConnected: getter(NodeP, 'isConnected'),
    nodeType: getter(NodeP, 'nodeType'),
    textContent: getter(NodeP, 'textContent'),
    setTextContent: setter(NodeP, 'textContent'),
    // Element
    setAttribute: method(ElementP, 'setAttribute'),
    getAttribute: method(ElementP, 'getAttribute'),
    removeAttribute: method(ElementP, 'removeAttribute'),
    hasAttribute: method(ElementP, 'hasAttribute'),
    attachShadow: method(ElementP, 'attachShadow'),
    // getBoundingClientRect, read through the DOMRect's own getters: a plain object
    rect: function (el) {
      var r = boundingRect(el);
      var l = left(r), t = top(r), rr = right(r), b = bottom(r);
      return { left: l, top: t, right: rr, bottom: b, width: rr - l, height: b - t };
    },
    getClientRects: method(ElementP, 'getClientRects'),
    matches: method(ElementP, 'matches'),
    closest: method(ElementP, 'closest'),
    querySelector: method(ElementP, 'querySelector'),
    querySelectorAll: method(ElementP, 'querySelectorAll'),
    scrollIntoView: method(ElementP, 'scrollIntoView'),
    parentElement: getter(NodeP, 'parentElement'),
    assignedSlot: getter(ElementP, 'assignedSlot'),
    clientWidth: getter(ElementP, 'clientWidth'),
    clientHeight: getter(ElementP, 'clientHeight'),
    clientLeft: getter(ElementP, 'clientLeft'),
    clientTop: getter(ElementP, 'clientTop'),
    tagName: getter(ElementP, 'tagName'),
    // lengths of the lists the DOM returns (their items are the lists' own indexed properties)
    nodeCount: getter(W.NodeList.prototype, 'length'),
    rectCount: getter(W.DOMRectList.prototype, 'length'),
    // CSS zoom on an ancestor (Chromium ≥ 128): absent means no zoom to cancel
    currentCSSZoom: has(ElementP, 'currentCSSZoom') ? getter(ElementP, 'currentCSSZoom') : function () { return 1; },
    // HTMLElement
    focus: method(HTMLP, 'focus'),
    blur: method(HTMLP, 'blur'),
    // a <label>'s control (the keyboard shortcut focuses the field a label target names)
    labelControl: getter(W.HTMLLabelElement.prototype, 'control'),
    style: getter(HTMLP, 'style'),
    offsetWidth: getter(HTMLP, 'offsetWidth'),
    offsetHeight: getter(HTMLP, 'offsetHeight'),
    popovers: popovers,
    showPopover: method(HTMLP, 'showPopover'),
    hidePopover: method(HTMLP, 'hidePopover'),
    // Form values: the target's (rules) and the overlay's own fields
    inputValue: getter(W.HTMLInputElement.prototype, 'value'),
    setInputValue: setter(W.HTMLInputElement.prototype, 'value'),
    textareaValue: getter(W.HTMLTextAreaElement.prototype, 'value'),
    selectValue: getter(W.HTMLSelectElement.prototype, 'value'),
    // CSSOM
    setProperty: method(StyleP, 'setProperty'),
    getPropertyValue: method(StyleP, 'getPropertyValue'),
    newSheet: function (cssText) { var s = new Sheet(); replaceSync(s, cssText); return s; },
    setAdoptedStyleSheets: setter(ShadowP, 'adoptedStyleSheets'),
    // Document, shadow root, window
    createElement: method(DocP, 'createElement'),
    createElementNS: method(DocP, 'createElementNS'),
    docQuerySelectorAll: method(DocP, 'querySelectorAll'),
    elementsFromPoint: method(DocP, 'elementsFromPoint'),
    documentElement: getter(DocP, 'documentElement'),
    body: getter(DocP, 'body'),
    activeElement: getter(DocP, 'activeElement'),
    shadowActiveElement: getter(ShadowP, 'activeElement'),
    shadowHost: getter(ShadowP, 'host'),
    addEventListener: method(W.EventTarget.prototype, 'addEventListener'),
    // timers, on the window (later(fn, ms) -> id, cancelLater(id), microtask(fn))
    later: function (fn, ms) { return setTimeout_(W, fn, ms); },
    cancelLater: function (id) { clearTimeout_(W, id); },
    microtask: function (fn) { queueMicrotask_(W, fn); },
    requestAnimationFrame: method(W, 'requestAnimationFrame'),
    cancelAnimationFrame: method(W, 'cancelAnimationFrame'),
    getComputedStyle: method(W, 'getComputedStyle'),
    matchMedia: method(W, 'matchMedia'),
    mediaMatches: getter(W.MediaQueryList.prototype, 'matches'),
    scrollBy: method(W, 'scrollBy'),
    innerWidth: getter(W, 'innerWidth'),
    innerHeight: getter(W, 'innerHeight'),
    // Events
    eventType: getter(EventP, 'type'),
    eventTarget: getter(EventP, 'target'),
    composedPath: method(EventP, 'composedPath'),
    stopPropagation: method(EventP, 'stopPropagation'),
    preventDefault: method(EventP, 'preventDefault'),
    defaultPrevented: getter(EventP, 'defaultPrevented'),
    isTrusted: function (e) { return e.isTrusted === true; },  // an own, unforgeable property of each event
    key: getter(KeyP, 'key'),
    code: getter(KeyP, 'code'),
    altKey: getter(KeyP, 'altKey'),
    ctrlKey: getter(KeyP, 'ctrlKey'),
    metaKey: getter(KeyP, 'metaKey'),
    shiftKey: getter(KeyP, 'shiftKey'),
    repeat: getter(KeyP, 'repeat'),
    isComposing: getter(KeyP, 'isComposing'),
    // JavaScript built-ins a page could replace
    now: function () { return perfNow(perf); },
    exec: regexpExec,
    then: method(W.Promise.prototype, 'then'),
    RegExp: W.RegExp,
    Error: W.Error,
    String: W.String,
    isArray: W.Array.isArray,
    hasOwn: hasOwn,
    freeze: O.freeze,
    defineProperty: defineProperty,
    trim: method(W.String.prototype, 'trim'),
    toLowerCase: method(W.String.prototype, 'toLowerCase'),
    encodeURI: W.encodeURI,
    encodeURIComponent: W.encodeURIComponent,
    parseInt: W.parseInt,
    round: W.Math.round,
    min: W.Math.min,
    max: W.Math.max,
    abs: W.Math.abs,
    // arr[arr.length] = v would run a setter a page defined on Array.prototype['0']…
    push: function (arr, value) {
      defineProperty(arr, arr.length, { __proto__: null, value: value, writable: true, enumerable: true, configurable: true });
      return arr;
    }
  });
}
