// SPDX-License-Identifier: MIT
// Plots drawn by gnuplot: data files and scripts, and the images drawn by running gnuplot.
#include "deepnvm/report/plot.h"

#include <unistd.h>

#include <fstream>

#include <fmt/format.h>

#include "deepnvm/core/atomic_file.h"
#include "deepnvm/core/process.h"

namespace deepnvm::report {

std::string gp_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

namespace {

// The terminal block of a script: every plot is drawn twice, as SVG and as PNG (pngcairo where the
// gnuplot build has it, else libgd's png). `outbase` may be set on the command line (-e).
std::string header(const std::string& name, const std::string& what, int width, int height, const std::string& writer) {
  return fmt::format(
      "# {}\n# Written by `{}`; re-draw with `gnuplot {}.gp` in this folder (writes {}.svg and {}.png).\n"
      "if (!exists(\"outbase\")) outbase = \"{}\"\n"
      "width = {}\nheight = {}\n\n",
      what, writer, name, name, name, name, width, height);
}

std::string svg_terminal() {
  return "set terminal svg size width,height dynamic noenhanced font \"sans,11\" background \"white\"\n"
         "set output outbase.\".svg\"\n";
}

std::string png_terminal() {
  return "if (strstrt(GPVAL_TERMINALS, \"pngcairo\") > 0) {\n"
         "  set terminal pngcairo size width,height noenhanced font \"sans,10\" background \"white\"\n"
         "} else {\n"
         "  set terminal png size width,height noenhanced\n"
         "}\n"
         "set output outbase.\".png\"\n";
}

// A script whose drawing commands `body` are run once per terminal.
std::string script(const std::string& head, const std::string& setup, const std::string& body) {
  return head + setup + "\n" + svg_terminal() + body + "set output\n\n" + png_terminal() + body + "set output\n";
}

// Runs `gnuplot -e "outbase='...'" script` in `dir`, stdout to /dev/null, stderr to `log`. Returns the
// exit status (-1: could not start; 128+N: killed by signal N).
int run_gnuplot(const std::filesystem::path& gnuplot, const std::filesystem::path& dir, const std::string& outbase,
                const std::string& script_name, const std::filesystem::path& log) {
  return run_program({gnuplot.string(), "-e", fmt::format("outbase='{}'", outbase), script_name}, dir, {}, log);
}

std::string first_lines(const std::filesystem::path& file, int n) {
  std::ifstream in(file);
  std::string line, out;
  for (int i = 0; i < n && std::getline(in, line);) {
    if (line.find_first_not_of(" \t^") == std::string::npos) continue;
    out += (out.empty() ? "" : " | ") + line;
    ++i;
  }
  return out;
}

}  // namespace

Plot gnuplot_plot(const std::string& name, std::string caption, const std::string& dat, int width, int height,
                  const std::string& setup, const std::string& body, const std::string& writer) {
  Plot p;
  p.name = name;
  p.caption = std::move(caption);
  p.files.push_back({name + ".dat", dat});
  p.files.push_back({name + ".gp", script(header(name, p.caption, width, height, writer), setup, body)});
  return p;
}

PlotOutcome write_plots(const std::vector<Plot>& plots, const std::filesystem::path& dir,
                        std::filesystem::path gnuplot) {
  PlotOutcome out;
  for (const Plot& p : plots)
    for (const PlotFile& f : p.files) write_file_atomic(dir / f.name, f.content);
  if (plots.empty()) return out;
  if (gnuplot.empty()) gnuplot = find_program("gnuplot");
  if (gnuplot.empty()) {
    out.warnings.push_back(fmt::format(
        "gnuplot not found on PATH: plots not drawn; their .gp and .dat files are in {} (install gnuplot-nox, "
        "then run `gnuplot NAME.gp` there)",
        dir.string()));
    return out;
  }
  out.rendered = true;
  const std::filesystem::path abs = std::filesystem::absolute(dir);
  for (const Plot& p : plots) {
    const std::string tmp = fmt::format(".{}.tmp{}", p.name, static_cast<long>(getpid()));
    const std::filesystem::path log = abs / (tmp + ".log");
    const int rc = run_gnuplot(gnuplot, abs, tmp, p.name + ".gp", log);
    bool ok = rc == 0;
    std::string why = rc == 0 ? "" : first_lines(log, 3);
    for (const char* ext : {".svg", ".png"}) {
      const std::filesystem::path from = abs / (tmp + ext), to = abs / (p.name + ext);
      std::error_code ec;
      if (ok && std::filesystem::file_size(from, ec) > 0 && !ec) {
        std::filesystem::rename(from, to, ec);
        if (!ec) {
          out.images.push_back(dir / (p.name + ext));
          continue;
        }
      }
      if (ok) why = fmt::format("{} was not written", to.filename().string());
      ok = false;
      std::filesystem::remove(from, ec);
    }
    if (!ok)
      out.warnings.push_back(fmt::format("gnuplot failed on {} ({}){}{}", (dir / (p.name + ".gp")).string(),
                                         rc < 0 ? "could not start it" : fmt::format("exit status {}", rc),
                                         why.empty() ? "" : ": ", why));
    std::error_code ec;
    std::filesystem::remove(log, ec);
  }
  return out;
}

}  // namespace deepnvm::report
