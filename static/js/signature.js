// Drawn signature for the applicant's declaration (policy P6.4). Pointer events cover mouse,
// finger and stylus; the drawing is sent as a PNG data URL in the hidden "signature" field.
(function () {
  var canvas = document.getElementById("signature-pad");
  var form = document.getElementById("sign-form");
  if (!canvas || !form) return;
  var field = form.querySelector("input[name=signature]");
  var ctx = canvas.getContext("2d");
  var drawing = false, drawn = false;
  ctx.lineWidth = 2.5; ctx.lineCap = "round"; ctx.strokeStyle = "#111";
  function white() { ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height); }
  white();
  function point(e) {
    var r = canvas.getBoundingClientRect();
    return { x: (e.clientX - r.left) * canvas.width / r.width, y: (e.clientY - r.top) * canvas.height / r.height };
  }
  canvas.addEventListener("pointerdown", function (e) {
    drawing = true; canvas.setPointerCapture(e.pointerId);
    var p = point(e); ctx.beginPath(); ctx.moveTo(p.x, p.y); e.preventDefault();
  });
  canvas.addEventListener("pointermove", function (e) {
    if (!drawing) return;
    var p = point(e); ctx.lineTo(p.x, p.y); ctx.stroke(); drawn = true; e.preventDefault();
  });
  ["pointerup", "pointercancel", "pointerleave"].forEach(function (t) {
    canvas.addEventListener(t, function () { drawing = false; });
  });
  document.getElementById("signature-clear").addEventListener("click", function () { white(); drawn = false; field.value = ""; });
  function toggle() {
    var method = form.querySelector("input[name=method]:checked");
    var paper = method && method.value === "paper";
    form.querySelector(".sign-drawn").hidden = paper;
    form.querySelector(".sign-paper").hidden = !paper;
  }
  form.querySelectorAll("input[name=method]").forEach(function (r) { r.addEventListener("change", toggle); });
  toggle();
  form.addEventListener("submit", function () { field.value = drawn ? canvas.toDataURL("image/png") : ""; });
})();
