// The request form: shows the natural person's fields or the organisation's, by the
// applicant type chosen. Without this script every field shows and the server checks them.
(function () {
  var form = document.querySelector('form.request-form');
  if (!form) return;
  var orgTypes = {};
  form.querySelectorAll('input[name="applicant_type"]').forEach(function (r) {
    orgTypes[r.value] = r.value !== 'natural_person';
  });
  function apply() {
    var chosen = form.querySelector('input[name="applicant_type"]:checked');
    form.querySelectorAll('[data-applicant]').forEach(function (p) {
      var show = !chosen || (p.dataset.applicant === 'org') === orgTypes[chosen.value];
      p.hidden = !show;
    });
  }
  form.addEventListener('change', function (e) {
    if (e.target.name === 'applicant_type') apply();
  });
  apply();
})();
