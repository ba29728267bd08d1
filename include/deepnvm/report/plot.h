// SPDX-License-Identifier: MIT
#pragma once

// Plots drawn by gnuplot: per plot a data file (.dat) and a script (.gp) in the output folder, so a
// user can re-run or tweak them (`gnuplot NAME.gp` in that folder writes NAME.svg and NAME.png), and
// the images rendered by running gnuplot as a child process.

#include <filesystem>
#include <string>
#include <vector>

namespace deepnvm::report {

/// One file of a plot, relative to the output folder.
struct PlotFile {
  std::string name;
  std::string content;
};

/// One plot: its base name (NAME.gp draws NAME.svg and NAME.png), a caption, and its files.
struct Plot {
  std::string name;
  std::string caption;
  std::vector<PlotFile> files;  ///< the .dat files and the .gp script (last)
};

/// @brief One plot of one data file (`NAME.dat`) and its script: a header naming `caption` and
/// `writer` (the command that wrote it), `setup`, then `body` drawn once as SVG and once as PNG of
/// `width` x `height` pixels (`outbase` names the images).
Plot gnuplot_plot(const std::string& name, std::string caption, const std::string& dat, int width, int height,
                  const std::string& setup, const std::string& body, const std::string& writer);

/// What writing the plots did.
struct PlotOutcome {
  bool rendered = false;                      ///< gnuplot was found and run
  std::vector<std::filesystem::path> images;  ///< the SVG and PNG files written
  std::vector<std::string> warnings;          ///< one line each, for stderr
};

/// @brief Writes every plot's .dat and .gp files atomically into `dir`, then runs `gnuplot` (empty:
/// looked up on `$PATH`) on each script in `dir`; each image is drawn under a temporary name and
/// renamed into place. A missing gnuplot or a failed script gives a warning, never an exception;
/// IoError only when the files cannot be written.
PlotOutcome write_plots(const std::vector<Plot>& plots, const std::filesystem::path& dir,
                        std::filesystem::path gnuplot = {});

/// A gnuplot string literal in double quotes (data-file labels and titles).
std::string gp_quote(const std::string& s);

}  // namespace deepnvm::report
