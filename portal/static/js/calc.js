// The contribution calculator on the phone, for a sign-up typed without signal. Only the arithmetic of
// portal/policy/calculator.py lives here: every figure (rates, poverty line, base salary, support shares, BHYT
// ladder, allowed months) comes from the server's export of the parameters in force (policy/export.py), kept
// with the day's pages. Exact: decimal strings become fractions of BigInts, rounded to whole đồng halves up
// (as Decimal's ROUND_HALF_UP). A refusal is {error: code, params}, with the calculator's codes. The server
// computes the amount again when the sign-up is sent, and refuses it if the phone's amount differs.
(function (root) {
  "use strict";

  function frac(text) {
    var s = String(text).trim();
    var neg = s.charAt(0) === "-";
    if (neg) s = s.slice(1);
    var parts = s.split(".");
    var decimals = parts[1] || "";
    var n = BigInt((parts[0] || "0") + decimals);
    return { n: neg ? -n : n, d: BigInt(10) ** BigInt(decimals.length) };
  }
  function whole(value) { return { n: BigInt(value), d: BigInt(1) }; }
  function mul(a, b) { return { n: a.n * b.n, d: a.d * b.d }; }
  function add(a, b) { return { n: a.n * b.d + b.n * a.d, d: a.d * b.d }; }
  function div(a, b) { return b.n < 0 ? { n: -a.n * b.d, d: a.d * -b.n } : { n: a.n * b.d, d: a.d * b.n }; }
  function cmp(a, b) { var x = a.n * b.d, y = b.n * a.d; return x < y ? -1 : x > y ? 1 : 0; }
  // Whole đồng, halves away from zero (Decimal's ROUND_HALF_UP); d is always positive.
  function dong(f) {
    var neg = f.n < 0, n = neg ? -f.n : f.n;
    var q = (BigInt(2) * n + f.d) / (BigInt(2) * f.d);
    return Number(neg ? -q : q);
  }
  function truncate(f) { return Number(f.n / f.d); } // int(Decimal)

  function Refusal(code, params) { this.code = code; this.params = params || {}; }

  function reader(P) {
    var used = [];
    function param(key) {
      if (!Object.prototype.hasOwnProperty.call(P.values, key)) throw new Refusal("missing_parameter", { key: key });
      if (used.indexOf(key) < 0) used.push(key);
      return frac(P.values[key]);
    }
    param.warnings = function () {
      return used.filter(function (k) { return P.unconfirmed.indexOf(k) >= 0; })
        .map(function (k) { return { code: "unconfirmed", key: k }; });
    };
    return param;
  }

  function supportRate(P, param, categories, prefix) {
    var applicable = P.categories.filter(function (c) { return categories.indexOf(c) >= 0 || c === "other"; });
    return applicable.map(function (c) { return param(prefix + "." + c); })
      .reduce(function (best, r) { return best === null || cmp(r, best) > 0 ? r : best; }, null);
  }

  // calculator.bhxh_tn
  function bhxhTn(P, input) {
    var categories = input.categories || ["other"];
    var unknown = categories.filter(function (c) { return P.categories.indexOf(c) < 0; }).sort();
    if (unknown.length) throw new Refusal("category", { category: unknown[0] });
    var mode = input.mode || "monthly";
    if (!Object.prototype.hasOwnProperty.call(P.modes, mode)) throw new Refusal("mode", { mode: mode });
    var allowed = P.modes[mode].months, supported = P.modes[mode].supported;
    var months = input.months !== null && input.months !== undefined ? input.months : (P.default_months[mode] || 1);
    if (mode === "advance_lump_sum" && allowed.indexOf(months) < 0) throw new Refusal("advance_months", { months: months });
    if (allowed.indexOf(months) < 0) throw new Refusal("months", { months: months, mode: mode });
    var param = reader(P);
    var rate = param("bhxh_tn.rate"), line = param("rural_poverty_line");
    var minIncome = dong(line);
    var maxIncome = dong(mul(param("base_salary"), param("bhxh_tn.max_income_multiple")));
    var floor = minIncome;
    if (P.unconfirmed.indexOf("rural_poverty_line") >= 0 && P.confirmed.rural_poverty_line !== undefined) {
      floor = Math.min(minIncome, dong(frac(P.confirmed.rural_poverty_line)));
    }
    var income = input.income || 0;
    if (!(floor <= income && income <= maxIncome)) {
      throw new Refusal("income", { income: income, min_income: floor, max_income: maxIncome });
    }
    var monthly = dong(mul(rate, whole(income)));
    var gross = monthly * months;
    var supportMonths = 0, support = 0, local = 0;
    var used = Math.max(0, input.supportedMonthsUsed || 0);
    var cap = truncate(param("support.max_months"));
    if (supported) {
      supportMonths = Math.min(months, Math.max(0, cap - used));
      var basis = mul(rate, line);
      support = dong(mul(supportRate(P, param, categories, "support"), basis)) * supportMonths;
      local = dong(mul(supportRate(P, param, categories, "local"), basis)) * supportMonths;
    }
    var discount = 0;
    if (mode === "advance_lump_sum") {
      var r = param("bhxh_tn.advance_discount_monthly");
      if (r.n <= 0) throw new Refusal("advance_discount", {});
      var one = add(whole(1), r), present = whole(0), factor = whole(1);
      for (var i = 0; i < months; i++) {
        present = add(present, div(whole(monthly), factor));
        factor = mul(factor, one);
      }
      discount = gross - dong(present);
    }
    var warnings = param.warnings();
    if (income < minIncome) warnings.push({ code: "below_unconfirmed_minimum", income: income, min_income: minIncome });
    return {
      income: income, months: months, mode: mode, min_income: minIncome, max_income: maxIncome,
      monthly_contribution: monthly, due: gross - discount, support_months: supportMonths, support: support,
      local_support: local, discount: discount, net: Math.max(0, gross - discount - support - local),
      support_months_used: used, support_months_left: Math.max(0, cap - used - supportMonths), warnings: warnings
    };
  }

  // calculator.bhyt_hgd
  function bhyt(P, input) {
    var categories = input.categories || ["other"];
    var budget = P.budget_paid.filter(function (c) { return categories.indexOf(c) >= 0; });
    if (budget.length) throw new Refusal("budget_paid", { category: budget[0] });
    var members = input.members, months = input.months === undefined || input.months === null ? 12 : input.months;
    if (!(members >= 1 && members <= 50)) throw new Refusal("members", { members: members });
    if (P.bhyt_months.indexOf(months) < 0) throw new Refusal("bhyt_months", { months: months });
    var param = reader(P);
    var base = param("base_salary");
    var first = mul(param("bhyt.rate"), base);
    var monthly = [];
    for (var order = 1; order <= members; order++) {
      monthly.push(dong(order === 1 ? first : mul(first, param("bhyt.ladder." + Math.min(order, 5)))));
    }
    var perMember = monthly.map(function (m) { return m * months; });
    return { members: members, months: months, base_salary: dong(base), per_member_monthly: monthly, per_member: perMember,
      due: perMember.reduce(function (a, b) { return a + b; }, 0), warnings: param.warnings() };
  }

  // results.services.quote_for: one person's sign-up (BHYT: the amount of the member's place in the ladder).
  function signup(P, input) {
    if (input.scheme === "bhxh_tn") {
      var q = bhxhTn(P, { income: input.income || 0, categories: input.categories, mode: input.mode || "monthly",
        months: input.months, supportedMonthsUsed: input.supportedMonthsUsed });
      return { amount_due: q.due, support: q.support, local_support: q.local_support, net: q.net,
        support_months_left: q.support_months_left, warnings: q.warnings };
    }
    var b = bhyt(P, { members: input.memberOrder || 1, months: input.months || 12, categories: input.categories });
    var amount = b.per_member[b.per_member.length - 1];
    return { amount_due: amount, support: 0, local_support: 0, net: amount, support_months_left: null,
      warnings: b.warnings };
  }

  // Run a calculation; a refusal comes back as {error, params} instead of being thrown.
  function attempt(fn, P, input) {
    try { return fn(P, input); } catch (e) {
      if (e instanceof Refusal) return { error: e.code, params: e.params };
      throw e;
    }
  }

  var api = {
    bhxhTn: function (P, input) { return attempt(bhxhTn, P, input); },
    bhyt: function (P, input) { return attempt(bhyt, P, input); },
    signup: function (P, input) { return attempt(signup, P, input); }
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.portalCalc = api;
})(typeof self !== "undefined" ? self : this);
