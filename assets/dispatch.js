/* Grid helpers of the monthly dispatch pages (月报填报). No user text becomes HTML here. */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

/* A typed number, or null for a blank or unreadable cell. */
dagfuncs.trackerNumber = function (value) {
  if (value === null || value === undefined || String(value).trim() === "") {
    return null;
  }
  var n = Number(String(value).replace(/,/g, ""));
  return isFinite(n) ? n : null;
};

/* 本月完成投资: the running totals follow (last month's + this month's), as the office
   computes them; the user may still correct them afterwards. */
dagfuncs.trackerReportMonth = function (params) {
  var value = dagfuncs.trackerNumber(params.newValue);
  var data = params.data;
  if (value === data.completed_month) {
    return false;
  }
  data.completed_month = value;
  if (value !== null) {
    var round = function (x) {
      return Math.round(x * 100) / 100;
    };
    data.completed_ytd = round(Number(data.carried_ytd || 0) + value);
    data.completed_total = round(Number(data.carried_total || 0) + value);
    setTimeout(function () {
      params.api.refreshCells({
        rowNodes: [params.node],
        columns: ["completed_ytd", "completed_total"],
        force: true,
      });
    }, 0);
  }
  return true;
};
