// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>

namespace deepnvm {

/// @brief Progress of a long job: a live bar with rate and ETA on a terminal, silent otherwise.
///
/// `advance` may be called from many threads; the bar is redrawn at most ten times a second on
/// stderr and erased by `finish` (or the destructor), so it never mixes with results on stdout.
class Progress {
 public:
  /// `visible` is normally `Progress::on_terminal(quiet)`.
  Progress(std::string label, std::size_t total, bool visible, std::FILE* stream = stderr);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(std::size_t steps = 1);
  void finish();
  std::size_t done() const noexcept { return done_.load(std::memory_order_relaxed); }

  /// True when stderr is a terminal and the user did not ask for --quiet.
  static bool on_terminal(bool quiet);

  /// One line of the bar: "label [#####-----]  50/100  12.5/s  ETA 4s". Pure, for tests.
  static std::string render(const std::string& label, std::size_t done, std::size_t total, double elapsed_s,
                            std::size_t width = 24);

 private:
  void draw(bool force);

  std::string label_;
  std::size_t total_;
  bool visible_;
  std::FILE* stream_;
  std::atomic<std::size_t> done_{0};
  std::chrono::steady_clock::time_point start_, last_draw_;
  std::mutex draw_mutex_;
  bool finished_ = false;
};

}  // namespace deepnvm
