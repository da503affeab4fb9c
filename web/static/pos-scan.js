// The phone's camera as a barcode/QR reader (@zxing/browser, loaded only when asked for): item codes
// on the ring-up screen and the payer's payment code (付款码) at the check.
import { el } from "./pos-ui.js";

async function zxing() {
  if (!window.ZXingBrowser) {
    await new Promise((resolve, reject) => {
      const s = el("script", { src: new URL("./vendor/zxing-browser.min.js", import.meta.url).href });
      s.onload = resolve; s.onerror = reject;
      document.head.append(s);
    });
  }
  return window.ZXingBrowser;
}

// Read one code into ``video``; ``onText(text)`` gets it and the camera stops. Resolves to the
// controls ({stop}) once the camera runs; rejects when there is no camera (or no permission).
export async function scanOnce(video, onText) {
  const lib = await zxing();
  const reader = new lib.BrowserMultiFormatReader();
  return reader.decodeFromVideoDevice(undefined, video, (result, _err, controls) => {
    if (!result) return;
    controls.stop();
    onText(result.getText());
  });
}
