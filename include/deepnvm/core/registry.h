// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "deepnvm/core/error.h"
#include "deepnvm/core/text.h"

namespace deepnvm {

/// @brief Named implementations of one extension point (cell models, sense amplifiers, input kinds).
///
/// Core defines only this mechanism. Each layer fills registries in its own
/// `register_builtin_<layer>(...)` function, and the aggregate target `deepnvm::all` calls those in
/// layer order — no static-initialization tricks, no global registry. `Entry` is typically a factory,
/// `std::function<std::unique_ptr<Interface>(const Spec&)>`, or a plain descriptor struct.
template <class Entry>
class Registry {
 public:
  /// `what` names the extension point in messages: "cell model", "input kind".
  explicit Registry(std::string what) : what_(std::move(what)) {}

  /// Registers `entry` under `name`; registering a name twice is a programming error.
  void add(std::string name, std::string description, Entry entry) {
    if (contains(name)) throw std::logic_error("duplicate registration of " + what_ + " '" + name + "'");
    const auto at = std::lower_bound(items_.begin(), items_.end(), name,
                                     [](const Item& item, const std::string& n) { return item.name < n; });
    items_.insert(at, Item{std::move(name), std::move(description), std::move(entry)});
  }

  bool contains(std::string_view name) const { return find(name) != nullptr; }

  /// The entry named `name`; an unknown name is a ConfigError at `where`/`key` that lists the known
  /// names and the closest match.
  const Entry& get(std::string_view name, const SourceLocation& where = {}, const std::string& key = {}) const {
    if (const Item* item = find(name)) return item->entry;
    const auto known = names();
    throw ConfigError(where, key, "unknown {} '{}'{}; known: {}", what_, name, did_you_mean(name, known),
                      known.empty() ? std::string("none") : quoted_list(known, ", "));
  }

  /// Calls the factory registered under `name`.
  template <class... Args>
  requires std::invocable<const Entry&, Args...>
  auto create(std::string_view name, Args&&... args) const {
    return std::invoke(get(name), std::forward<Args>(args)...);
  }

  /// Registered names, sorted.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const Item& item : items_) out.push_back(item.name);
    return out;
  }

  const std::string& description(std::string_view name) const {
    if (const Item* item = find(name)) return item->description;
    throw std::logic_error("no " + what_ + " named '" + std::string(name) + "'");
  }

  const std::string& what() const noexcept { return what_; }

 private:
  struct Item {
    std::string name;
    std::string description;
    Entry entry;
  };

  const Item* find(std::string_view name) const {
    for (const Item& item : items_)
      if (item.name == name) return &item;
    return nullptr;
  }

  std::string what_;
  std::vector<Item> items_;  // sorted by name
};

}  // namespace deepnvm
