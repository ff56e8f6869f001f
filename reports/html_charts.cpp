#include "reports/html_charts.hpp"

#include "common/text_escape.hpp"
#include "reports/human_units.hpp"
#include "reports/interval_text.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace ciperf {
namespace {

constexpr double kWidth = 960;
constexpr double kLabelWidth = 230;
constexpr double kRowHeight = 22;
constexpr size_t kMaxLabel = 36;

std::string label(std::string_view text) {
  return xml_escape(truncate_utf8(text, kMaxLabel));
}

// A round step (1, 2 or 5 times a power of ten) giving about `ticks` ticks over `span`.
double nice_step(double span, int ticks) {
  double raw = span / ticks;
  double power = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (m * power >= raw)
      return m * power;
  return 10 * power;
}

std::string time_axis(double x0, double scale, double span, double y, double height) {
  std::string out;
  double step = nice_step(span > 0 ? span : 1, 8);
  for (double t = 0; t <= span + step / 2; t += step) {
    double x = x0 + t * scale;
    out +=
        fmt::format("<line class=\"grid\" x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" "
                    "y2=\"{2:.1f}\"/><text class=\"tick\" x=\"{0:.1f}\" y=\"{3:.1f}\">{4}</text>",
                    x, y, y + height, y + height + 14, human_seconds(t));
  }
  return out;
}

std::string probe_ticks(const PhaseRecord& p, double x, double scale, double y) {
  std::string out;
  for (const auto& t : p.probe->targets)
    for (const auto& m : t.marks)
      out += fmt::format("<line class=\"{0}\" x1=\"{1:.1f}\" y1=\"{2:.1f}\" x2=\"{1:.1f}\" "
                         "y2=\"{3:.1f}\"/>",
                         m.ok ? "probe-ok" : "probe-fail", x + m.at_s * scale, y + 2,
                         y + kRowHeight - 6);
  return out;
}

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty())
    return NAN;
  double pos = q * static_cast<double>(sorted.size() - 1);
  auto lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::string box(const std::vector<double>& samples, double x0, double scale, double y,
                const char* css) {
  std::vector<double> s = samples;
  std::sort(s.begin(), s.end());
  if (s.empty())
    return "";
  double q1 = quantile(s, 0.25), med = quantile(s, 0.5), q3 = quantile(s, 0.75);
  auto X = [&](double v) { return x0 + v * scale; };
  return fmt::format(
      "<g class=\"{}\"><title>{}: median {}, quartiles {} to {}, {} runs</title>"
      "<line class=\"whisker\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>"
      "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"8\"/>"
      "<line class=\"median\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/></g>",
      css, css, human_seconds(med), human_seconds(q1), human_seconds(q3), s.size(), X(s.front()),
      y + 4, X(s.back()), y + 4, X(q1), y, std::max(1.0, X(q3) - X(q1)), X(med), y - 1, X(med),
      y + 9);
}

} // namespace

std::string waterfall_svg(const RunRecord& run) {
  std::vector<const PhaseRecord*> shown;
  double span = run.wall_s;
  for (const auto& p : run.phases)
    if (p.ran()) {
      shown.push_back(&p);
      span = std::max(span, p.start_s + p.wall_s);
    }
  double height = static_cast<double>(shown.size()) * kRowHeight;
  double scale = (kWidth - kLabelWidth - 20) / (span > 0 ? span : 1);
  std::string out =
      fmt::format("<svg class=\"chart waterfall\" xmlns=\"http://www.w3.org/2000/svg\" "
                  "width=\"{0}\" height=\"{1:.0f}\" viewBox=\"0 0 {0} {1:.0f}\">",
                  kWidth, height + 30);
  out += time_axis(kLabelWidth, scale, span, 0, height);
  for (size_t i = 0; i < shown.size(); ++i) {
    const PhaseRecord& p = *shown[i];
    double y = static_cast<double>(i) * kRowHeight;
    double x = kLabelWidth + p.start_s * scale;
    out +=
        fmt::format("<text class=\"label\" x=\"4\" y=\"{:.1f}\">{}</text>", y + 15, label(p.name));
    out += fmt::format("<rect class=\"phase kind-{} status-{}{}\" x=\"{:.1f}\" y=\"{:.1f}\" "
                       "width=\"{:.1f}\" height=\"{}\"><title>{}: {} ({}, {})</title></rect>",
                       xml_escape(to_string(p.kind)), xml_escape(to_string(p.status)),
                       p.background ? " service" : "", x, y + 3, std::max(1.0, p.wall_s * scale),
                       kRowHeight - 6, xml_escape(p.name), human_seconds(p.wall_s),
                       xml_escape(to_string(p.kind)), xml_escape(to_string(p.status)));
    if (p.probe)
      out += probe_ticks(p, x, scale, y);
  }
  return out + "</svg>";
}

std::string pareto_svg(const Pareto& pareto) {
  constexpr size_t kMaxBars = 30;
  constexpr double kTop = 10, kPlot = 220, kLeft = 50;
  size_t bars = std::min(pareto.rows.size(), kMaxBars);
  double slot = bars ? (kWidth - kLeft - 20) / static_cast<double>(bars) : 1;
  std::string out = fmt::format("<svg class=\"chart pareto\" xmlns=\"http://www.w3.org/2000/svg\" "
                                "width=\"{0}\" height=\"{1:.0f}\" viewBox=\"0 0 {0} {1:.0f}\">",
                                kWidth, kTop + kPlot + 80);
  for (int pct = 0; pct <= 100; pct += 20) {
    double y = kTop + kPlot * (1 - pct / 100.0);
    out += fmt::format("<line class=\"grid\" x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\"/>"
                       "<text class=\"tick\" x=\"{3}\" y=\"{4:.1f}\">{5}%</text>",
                       kLeft, y, kWidth - 20, kLeft - 30, y + 4, pct);
  }
  double y80 = kTop + kPlot * 0.2;
  out += fmt::format("<line class=\"cut\" x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\"/>",
                     kLeft, y80, kWidth - 20);
  std::string line;
  for (size_t i = 0; i < bars; ++i) {
    const ParetoRow& r = pareto.rows[i];
    double x = kLeft + static_cast<double>(i) * slot;
    double h = kPlot * r.share;
    out += fmt::format(
        "<rect class=\"bar{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" "
        "height=\"{:.1f}\"><title>{}: {} mean per run (95% CI {}), {:.1f}%</title></rect>",
        r.vital ? " vital" : "", x + slot * 0.15, kTop + kPlot - h, slot * 0.7, h,
        xml_escape(r.item), human_seconds(r.mean_s), seconds_ci(r.ci), 100 * r.share);
    out += fmt::format("<text class=\"item\" transform=\"translate({:.1f},{:.1f}) rotate(-35)\">"
                       "{}</text>",
                       x + slot * 0.5 + 4, kTop + kPlot + 12, label(r.item));
    line += fmt::format("{:.1f},{:.1f} ", x + slot * 0.5, kTop + kPlot * (1 - r.cumulative));
  }
  out += "<polyline class=\"cumulative\" points=\"" + line + "\"/>";
  return out + "</svg>";
}

std::string box_plots_svg(const std::vector<const BaselinePhase*>& cold,
                          const std::vector<const BaselinePhase*>& warm) {
  constexpr double kRow = 34;
  double height = static_cast<double>(cold.size()) * kRow;
  std::string out = fmt::format("<svg class=\"chart boxes\" xmlns=\"http://www.w3.org/2000/svg\" "
                                "width=\"{0}\" height=\"{1:.0f}\" viewBox=\"0 0 {0} {1:.0f}\">",
                                kWidth, height + 4);
  constexpr double kAxisLabel = 56; // the range's ends, written either side of the plot
  double x0 = kLabelWidth + kAxisLabel, width = kWidth - x0 - kAxisLabel - 110;
  for (size_t i = 0; i < cold.size(); ++i) {
    // Each phase on its own axis, from its fastest to its slowest run: the spread and the
    // cold-warm shift stay visible whatever the phase's size.
    double lo = std::min(cold[i]->min, warm[i]->min), hi = std::max(cold[i]->max, warm[i]->max);
    double pad = std::max((hi - lo) * 0.05, 1e-6);
    lo = std::max(0.0, lo - pad);
    hi += pad;
    double scale = width / (hi - lo);
    double y = static_cast<double>(i) * kRow;
    out += fmt::format("<text class=\"label\" x=\"4\" y=\"{:.1f}\">{}</text>", y + 20,
                       label(cold[i]->phase));
    out += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text><text "
                       "class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>",
                       kLabelWidth, y + 20, human_seconds(lo), x0 + width + 6, y + 20,
                       human_seconds(hi));
    out += box(cold[i]->samples, x0 - lo * scale, scale, y + 4, "cold");
    out += box(warm[i]->samples, x0 - lo * scale, scale, y + 18, "warm");
    out +=
        fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\">{} / {}</text>", kWidth - 100,
                    y + 20, human_seconds(cold[i]->median), human_seconds(warm[i]->median));
  }
  return out + "</svg>";
}

std::string sparkline_svg(const std::vector<double>& values, const std::vector<size_t>& changes) {
  constexpr double kW = 180, kH = 28;
  double top = 0;
  for (double v : values)
    if (!std::isnan(v))
      top = std::max(top, v);
  double step = values.size() > 1 ? kW / static_cast<double>(values.size() - 1) : 0;
  std::string out = fmt::format("<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" "
                                "width=\"{0}\" height=\"{1}\" viewBox=\"-3 -3 {2} {3}\">",
                                kW, kH, kW + 6, kH + 6);
  std::string points;
  auto flush = [&] {
    if (!points.empty())
      out += "<polyline points=\"" + points + "\"/>";
    points.clear();
  };
  for (size_t at : changes) // between the last run of the old level and the first of the new
    out += fmt::format("<line class=\"change\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"0\" "
                       "y2=\"{1}\"/>",
                       (static_cast<double>(at) - 0.5) * step, kH);
  double last_x = 0, last_y = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i])) {
      flush();
      continue;
    }
    last_x = static_cast<double>(i) * step;
    last_y = top > 0 ? kH * (1 - values[i] / top) : kH;
    points += fmt::format("{:.1f},{:.1f} ", last_x, last_y);
  }
  flush();
  if (!values.empty() && !std::isnan(values.back()))
    out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\"/>", last_x, last_y);
  return out + "</svg>";
}

std::string curve_svg(const std::string& title, const std::vector<CurvePoint>& points,
                      std::optional<double> mark_x) {
  constexpr double kW = 440, kH = 200, kLeft = 40, kBottom = 24, kTop = 22;
  double max_x = 1, max_y = 0;
  for (const auto& p : points) {
    max_x = std::max(max_x, p.x);
    max_y = std::max(max_y, p.y);
  }
  max_y = max_y > 0 ? max_y * 1.1 : 1;
  double plot_w = kW - kLeft - 56, plot_h = kH - kTop - kBottom; // room for the last label
  auto px = [&](double x) { return kLeft + plot_w * x / max_x; };
  auto py = [&](double y) { return kTop + plot_h * (1 - y / max_y); };
  std::string out = fmt::format("<svg class=\"chart curve\" xmlns=\"http://www.w3.org/2000/svg\" "
                                "width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\">"
                                "<text class=\"label\" x=\"4\" y=\"14\">{2}</text>",
                                kW, kH, label(title));
  out += fmt::format("<line class=\"grid\" x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" "
                     "y2=\"{1:.1f}\"/>",
                     kLeft, py(0), px(max_x));
  if (mark_x)
    out += fmt::format("<line class=\"cut\" x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" "
                       "y2=\"{2:.1f}\"/>",
                       px(*mark_x), kTop, py(0));
  std::string line;
  for (const auto& p : points) {
    line += fmt::format("{:.1f},{:.1f} ", px(p.x), py(p.y));
    out += fmt::format("<text class=\"tick\" x=\"{0:.1f}\" y=\"{1:.1f}\">{2:g}</text>"
                       "<g><title>{2:g}: {3}</title><circle cx=\"{0:.1f}\" cy=\"{4:.1f}\" "
                       "r=\"3\"/></g><text class=\"tick\" x=\"{0:.1f}\" y=\"{5:.1f}\">{3}"
                       "</text>",
                       px(p.x), kH - 6, p.x, xml_escape(p.label), py(p.y), py(p.y) - 6);
  }
  return out + "<polyline class=\"cumulative\" points=\"" + line + "\"/></svg>";
}

} // namespace ciperf
