// batchgate console: the little the pages need beyond htmx. No inline scripts (the CSP forbids them).
(function () {
  'use strict';
  // Patterns of the catalog are Java regular expressions: checked here with the 'u' flag (the
  // 'pattern' attribute's 'v' flag refuses common ones such as [A-Za-z -]); the server checks again.
  function checkPattern(input) {
    var source = input.getAttribute('data-pattern');
    if (!source) return;
    var re;
    try { re = new RegExp('^(?:' + source + ')$', 'u'); } catch (e) { return; }
    input.setCustomValidity(input.value === '' || re.test(input.value) ? '' : 'Must match the pattern ' + source);
  }
  document.addEventListener('input', function (event) {
    if (event.target.matches && event.target.matches('[data-pattern]')) checkPattern(event.target);
  });
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains('trigger')) return;
    form.querySelectorAll('[data-pattern]').forEach(checkPattern);
    if (!form.reportValidity()) event.preventDefault();
  }, true);
  document.addEventListener('change', function (event) {
    if (event.target.id === 'select-all') {
      document.querySelectorAll('table.runs input[name=run]').forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
  });
  // Follow the log: keep the newest line in view after each refresh, unless the reader unticked it.
  document.addEventListener('htmx:afterSwap', function () {
    var follow = document.getElementById('follow');
    var pre = document.querySelector('#log pre');
    if (pre && (!follow || follow.checked)) pre.scrollTop = pre.scrollHeight;
  });
})();
