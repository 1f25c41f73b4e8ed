// Dispatch desk: in the assign form, show only the list that matches the chosen kind of assignee.
(function () {
  "use strict";
  var form = document.querySelector(".assign-form");
  if (!form) { return; }
  var radios = form.querySelectorAll('input[name="kind"]');
  function rowOf(name) {
    var field = form.querySelector('[name="' + name + '"]');
    return field ? field.closest(".form-row") : null;
  }
  function update() {
    var chosen = form.querySelector('input[name="kind"]:checked');
    radios.forEach(function (radio) {
      var row = rowOf(radio.value);
      if (row) { row.hidden = !(chosen && chosen.value === radio.value); }
    });
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
