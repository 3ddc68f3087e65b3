/* Grid helpers of the monthly dispatch pages (月报填报). No user text becomes HTML here. */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

/* A typed number, or null for a blank or unreadable cell. */
dagfuncs.trackerNumber = function (value) {
  if (value === null || value === undefined || String(value).trim() === "") {
    return null;
  }
  if (typeof value === "number") {
    return isFinite(value) ? value : String(value);
  }
  var text = String(value).trim();
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) {
    return Number(text);
  }
  /* Anything else (1,234 or full-width digits, but also 0x10, 1e5, NaN) goes to the server
     as typed: it reads what it can, says so, and refuses the rest with a message (#12),
     where Number() would have turned 0x10 into 16 and NaN into a silent blank. */
  return text;
};

/* A money or percentage cell: a number with its decimals (money grouped by thousands); a
   value that is not a number yet (typed, refused by the server with a message) as typed. */
dagfuncs.trackerFixed = function (value, digits, grouped) {
  if (value === null || value === undefined || value === "") {
    return "";
  }
  if (typeof value !== "number") {
    return String(value);
  }
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: !!grouped,
  });
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
  if (typeof value === "number") {
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
