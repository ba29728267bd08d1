// SPDX-License-Identifier: MIT
#include "deepnvm/core/progress.h"

#include <algorithm>
#include <cmath>

#include <unistd.h>

#include <fmt/format.h>

namespace deepnvm {

Progress::Progress(std::string label, std::size_t total, bool visible, std::FILE* stream)
    : label_(std::move(label)),
      total_(total),
      visible_(visible),
      stream_(stream),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { finish(); }

bool Progress::on_terminal(bool quiet) { return !quiet && isatty(fileno(stderr)) == 1; }

void Progress::advance(std::size_t steps) {
  done_.fetch_add(steps, std::memory_order_relaxed);
  if (visible_) draw(false);
}

void Progress::finish() {
  if (!visible_) return;
  std::lock_guard lock(draw_mutex_);
  if (finished_) return;
  finished_ = true;
  std::fputs("\r\033[K", stream_);  // erase the bar: results follow on a clean line
  std::fflush(stream_);
}

void Progress::draw(bool force) {
  std::unique_lock lock(draw_mutex_, std::try_to_lock);
  if (!lock.owns_lock() || finished_) return;  // another thread is drawing: skip, not wait
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  fmt::print(stream_, "\r{}\033[K", render(label_, done(), total_, elapsed));
  std::fflush(stream_);
}

namespace {
std::string format_duration(double seconds) {
  if (!std::isfinite(seconds)) return "?";
  const auto s = static_cast<long long>(std::ceil(seconds));
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}
}  // namespace

std::string Progress::render(const std::string& label, std::size_t done, std::size_t total, double elapsed_s,
                             std::size_t width) {
  const double fraction = total == 0 ? 1.0 : std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
  const auto filled = static_cast<std::size_t>(std::floor(fraction * static_cast<double>(width)));
  const double rate = elapsed_s > 0.0 ? static_cast<double>(done) / elapsed_s : 0.0;
  const double remaining = rate > 0.0 ? static_cast<double>(total > done ? total - done : 0) / rate
                                      : std::numeric_limits<double>::infinity();
  return fmt::format("{} [{}{}] {}/{} {:.3g}/s ETA {}", label, std::string(filled, '#'),
                     std::string(width - filled, '-'), done, total, rate, format_duration(remaining));
}

}  // namespace deepnvm
