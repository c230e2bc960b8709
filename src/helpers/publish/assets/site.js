// cchc-reports site: the phone menu and the offline search (Pagefind). No outside requests.
(function () {
  var button = document.querySelector("button.menu");
  if (button) {
    button.addEventListener("click", function () {
      var open = document.body.classList.toggle("menu-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  window.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("search");
    if (!box) { return; }
    if (location.protocol === "file:" || typeof PagefindUI === "undefined") {
      box.innerHTML = '<span class="nosearch">Tìm kiếm hoạt động khi trang được mở qua máy chủ web.</span>';
      return;
    }
    new PagefindUI({
      element: "#search", showImages: false,
      bundlePath: new URL(box.getAttribute("data-bundle"), document.baseURI).pathname,
      showSubResults: true, resetStyles: false,
      translations: { placeholder: "Tìm trong các báo cáo" }
    });
  });
})();
