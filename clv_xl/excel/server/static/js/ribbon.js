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

// clv-xl: the Generate report script (clv_xl/excel/whole_workbook.py) answers with one runMacro action that
// calls this function with the report workbook (.xlsx, base64) and its sheet names (tab-separated): the same
// workbook `clv-xl report` writes, with its Tables, formulas, formats and charts. The sheets of an earlier
// report are deleted first, then the new ones are inserted with insertWorksheetsFromBase64 (ExcelApi 1.13,
// required by the manifest). Where that API is missing the workbook is offered as a download instead.
async function clvInsertReport(context, base64, sheetNames) {
  const names = String(sheetNames).split("\t");
  if (!Office.context.requirements.isSetSupported("ExcelApi", "1.13")) {
    clvDownloadReport(base64);
    return;
  }
  const sheets = context.workbook.worksheets;
  sheets.load("items/name");
  await context.sync();
  for (const sheet of sheets.items) {
    if (names.includes(sheet.name)) {
      sheet.delete();
    }
  }
  await context.sync();
  context.workbook.insertWorksheetsFromBase64(base64, {
    positionType: Excel.WorksheetPositionType.end,
  });
  await context.sync();
  context.workbook.worksheets.getItem(names[0]).activate();
  await context.sync();
}

function clvDownloadReport(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const blob = new Blob([bytes], {
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = "CLV report.xlsx";
  document.body.appendChild(link);
  link.click();
  link.remove();
}

xlwings.registerCallback(clvInsertReport);
