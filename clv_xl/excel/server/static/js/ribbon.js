// clv-xl: the "Generate report" button of the CLV ribbon tab (see templates/manifest.xml).
// It sends the workbook to the `generate_report` script of clv-xl (custom_scripts) and applies the
// returned actions, i.e. adds the report sheets. Replaces xlwings Server's sample ribbon.js.
async function clvGenerateReport(event) {
  try {
    const auth =
      typeof globalThis.getAuth === "function"
        ? await globalThis.getAuth()
        : { token: "", provider: "" };
    await xlwings.runPython({
      scriptName: "generate_report",
      auth: auth.token,
      headers: { "Auth-Provider": auth.provider },
    });
  } finally {
    event.completed();
  }
}

Office.actions.associate("clv-generate-report", clvGenerateReport);
