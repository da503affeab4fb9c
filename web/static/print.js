// The QR sheet's print button (a script file: the page's security policy allows no inline script).
document.getElementById("print")?.addEventListener("click", () => window.print());
