// After the confirm page (innohub/accounts/reauth.py): send the kept form again at once;
// without scripts, the page's button does it.
document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
  form.submit();
});
