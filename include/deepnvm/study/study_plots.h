// SPDX-License-Identifier: MIT
#pragma once

// Plots of a study (docs/models/study.md §8), drawn by gnuplot (report/plot.h).

#include <filesystem>
#include <string>
#include <vector>

#include "deepnvm/report/plot.h"
#include "deepnvm/study/study.h"

namespace deepnvm::study {

using report::gnuplot_plot;
using report::Plot;
using report::PlotFile;
using report::PlotOutcome;
using report::write_plots;

/// @brief The plots of `results`: `edp_iso_capacity`, `edp_iso_area` (if the study has iso-area
/// records), `scalability` (if it has a sweep) and `energy_breakdown`. Pure; nothing is written.
std::vector<Plot> study_plots(const StudyResults& results);

/// @brief Writes the study's plots into `dir` (report::write_plots()).
PlotOutcome write_plots(const StudyResults& results, const std::filesystem::path& dir,
                        std::filesystem::path gnuplot = {});

}  // namespace deepnvm::study
