// "Cetak / simpan PDF": the browser's print dialog, where a phone saves a PDF too.
document.querySelectorAll('[data-print]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () { window.print(); });
});
