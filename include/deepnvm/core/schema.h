// SPDX-License-Identifier: MIT
#pragma once

// Declared input schemas: each parameter is declared once — name, type, unit, range, default and
// description — next to the plain struct it fills. The same declaration drives strict parsing
// (unknown keys, wrong types, missing values and out-of-range values are ConfigErrors naming
// file, line and key), the normalized JSON echo, `deepnvm schema KIND` and the generated docs.
//
//   struct Cache { double capacity; int ways; std::optional<std::string> note;
//                  static const Schema<Cache>& schema(); };
//   const Schema<Cache>& Cache::schema() {
//     static const Schema<Cache> s = [] {
//       Schema<Cache> s("cache", "A cache.");
//       s.field("capacity", &Cache::capacity).unit(dim::bytes).greater_than(0).desc("Total capacity.");
//       s.field("ways", &Cache::ways).min(1).max(64).default_value(8).desc("Associativity.");
//       s.field("note", &Cache::note).desc("Free text.");
//       return s;
//     }();
//     return s;
//   }

#include <charconv>
#include <cmath>
#include <concepts>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "deepnvm/core/config.h"
#include "deepnvm/core/error.h"
#include "deepnvm/core/quantity.h"
#include "deepnvm/core/text.h"

namespace deepnvm {

/// Description of one declared parameter, for `deepnvm schema` and the docs.
struct FieldInfo {
  std::string name;
  std::string type;           // "size", "length", "integer", "string", "list of voltage", "mapping (cell)"
  std::string example;        // a well-formed value, "8 MiB"
  std::string range;          // "> 0 B", "1 .. 64", "one of 'a', 'b'"; empty if unconstrained
  std::string default_value;  // empty when required or optional
  std::string description;
  bool required = false;
  std::shared_ptr<const struct SchemaInfo> nested;  // for mappings
};

struct SchemaInfo {
  std::string kind;
  std::string description;
  std::vector<FieldInfo> fields;
};

/// Constraints on one scalar value; shared by every field type.
struct ValueRules {
  Dimension unit = dim::none;
  std::optional<double> min, max;
  bool min_exclusive = false, max_exclusive = false;
  std::vector<std::string> choices;

  std::string range_text(bool integer) const;
  void check_range(double value, const std::string& shown, const ConfigNode& node, const std::string& key,
                   bool integer) const;
  void check_choice(const std::string& value, const ConfigNode& node, const std::string& key) const;
};

template <class T>
class Schema;

template <class T>
concept HasSchema = requires {
  { T::schema() } -> std::same_as<const Schema<T>&>;
};

namespace detail {

template <class V>
struct ValueTraits;

template <>
struct ValueTraits<double> {
  static double parse(const ConfigNode& node, const std::string& key, const ValueRules& rules) {
    const std::string& text = node.scalar(key);
    double value = 0.0;
    try {
      value = parse_quantity(text, rules.unit);
    } catch (const UnitError& e) {
      throw ConfigError(node.location(), key, e.what());
    }
    rules.check_range(value, text, node, key, false);
    return value;
  }
  static std::string type_name(const ValueRules& rules) {
    return rules.unit == dim::none ? "number" : dimension_name(rules.unit);
  }
  static std::string example(const ValueRules& rules) {
    if (rules.unit == dim::none && rules.min && *rules.min >= 0.5) return fmt::format("{:g}", *rules.min * 2);
    return dimension_example(rules.unit);
  }
  static std::string show(double v, const ValueRules& rules) { return format_quantity(v, rules.unit, 6); }
  static nlohmann::ordered_json to_json(double v) { return v; }
};

template <std::integral I>
requires(!std::same_as<I, bool>) struct ValueTraits<I> {
  static I parse(const ConfigNode& node, const std::string& key, const ValueRules& rules) {
    const std::string& text = node.scalar(key);
    I value{};
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec == std::errc::result_out_of_range)
      throw ConfigError(node.location(), key, "'{}' does not fit in an integer of this kind", text);
    if (ec != std::errc{} || ptr != end) {
      if (std::is_unsigned_v<I> && text.starts_with('-'))
        throw ConfigError(node.location(), key, "expected a non-negative integer, got '{}'", text);
      throw ConfigError(node.location(), key, "expected an integer (plain digits, no unit), got '{}'", text);
    }
    rules.check_range(static_cast<double>(value), text, node, key, true);
    return value;
  }
  static std::string type_name(const ValueRules&) { return "integer"; }
  static std::string example(const ValueRules& rules) {
    return rules.min ? fmt::format("{}", static_cast<long long>(*rules.min) + (rules.min_exclusive ? 1 : 0)) : "1";
  }
  static std::string show(I v, const ValueRules&) { return fmt::format("{}", v); }
  static nlohmann::ordered_json to_json(I v) { return v; }
};

template <>
struct ValueTraits<bool> {
  static bool parse(const ConfigNode& node, const std::string& key, const ValueRules&) {
    const std::string& text = node.scalar(key);
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    throw ConfigError(node.location(), key, "expected true or false, got '{}'", text);
  }
  static std::string type_name(const ValueRules&) { return "boolean"; }
  static std::string example(const ValueRules&) { return "true"; }
  static std::string show(bool v, const ValueRules&) { return v ? "true" : "false"; }
  static nlohmann::ordered_json to_json(bool v) { return v; }
};

template <>
struct ValueTraits<std::string> {
  static std::string parse(const ConfigNode& node, const std::string& key, const ValueRules& rules) {
    const std::string& text = node.scalar(key);
    rules.check_choice(text, node, key);
    return text;
  }
  static std::string type_name(const ValueRules& rules) { return rules.choices.empty() ? "string" : "choice"; }
  static std::string example(const ValueRules& rules) { return rules.choices.empty() ? "text" : rules.choices.front(); }
  static std::string show(const std::string& v, const ValueRules&) { return v; }
  static nlohmann::ordered_json to_json(const std::string& v) { return v; }
};

template <HasSchema S>
struct ValueTraits<S> {
  static S parse(const ConfigNode& node, const std::string&, const ValueRules&) { return S::schema().parse(node); }
  static std::string type_name(const ValueRules&) { return fmt::format("mapping ({})", S::schema().kind()); }
  static std::string example(const ValueRules&) { return "{...}"; }
  static std::string show(const S&, const ValueRules&) { return "{...}"; }
  static nlohmann::ordered_json to_json(const S& v) { return S::schema().to_json(v); }
};

template <class V>
struct ValueTraits<std::vector<V>> {
  static std::vector<V> parse(const ConfigNode& node, const std::string& key, const ValueRules& rules) {
    if (!node.is_sequence())
      throw ConfigError(node.location(), key, "expected a list of {}, got a {}", ValueTraits<V>::type_name(rules),
                        node.type_name());
    std::vector<V> out;
    std::size_t index = 0;
    for (const ConfigNode& item : node.items())
      out.push_back(ValueTraits<V>::parse(item, fmt::format("{}[{}]", key, index++), rules));
    return out;
  }
  static std::string type_name(const ValueRules& rules) {
    return fmt::format("list of {}", ValueTraits<V>::type_name(rules));
  }
  static std::string example(const ValueRules& rules) { return fmt::format("[{}]", ValueTraits<V>::example(rules)); }
  static std::string show(const std::vector<V>& v, const ValueRules& rules) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + ValueTraits<V>::show(v[i], rules);
    return out + "]";
  }
  static nlohmann::ordered_json to_json(const std::vector<V>& v) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& item : v) out.push_back(ValueTraits<V>::to_json(item));
    return out;
  }
};

template <class M>
struct Unwrap {
  using type = M;
  static constexpr bool optional = false;
};
template <class V>
struct Unwrap<std::optional<V>> {
  using type = V;
  static constexpr bool optional = true;
};

template <class V>
std::shared_ptr<const SchemaInfo> nested_info() {
  if constexpr (HasSchema<V>) {
    return std::make_shared<const SchemaInfo>(V::schema().info());
  } else if constexpr (requires { typename V::value_type; } && !std::same_as<V, std::string>) {
    return nested_info<typename V::value_type>();
  } else {
    return nullptr;
  }
}

}  // namespace detail

/// @brief The declared parameters of one input kind, and a strict parser from YAML into `T`.
template <class T>
class Schema {
  struct FieldBase {
    std::string name, description;
    ValueRules rules;
    bool required = true;
    virtual ~FieldBase() = default;
    virtual void parse(T& out, const ConfigNode* value, const ConfigNode& parent) const = 0;
    virtual nlohmann::ordered_json to_json(const T& in) const = 0;
    virtual FieldInfo info() const = 0;
  };

  template <class M>
  struct Field final : FieldBase {
    using V = typename detail::Unwrap<M>::type;
    using Traits = detail::ValueTraits<V>;
    M T::*member;
    std::optional<V> fallback;

    void parse(T& out, const ConfigNode* value, const ConfigNode& parent) const override {
      if (value == nullptr || value->is_null()) {
        if constexpr (detail::Unwrap<M>::optional) {
          if (!this->required) {
            out.*member = fallback;
            return;
          }
        } else if (fallback) {
          out.*member = *fallback;
          return;
        }
        const ConfigNode& at = value ? *value : parent;
        throw ConfigError(at.location(), this->name, "{}: expected a {} such as '{}'{}",
                          value ? "missing value" : "missing required key", Traits::type_name(this->rules),
                          Traits::example(this->rules),
                          this->description.empty() ? "" : fmt::format(" ({})", this->description));
      }
      out.*member = Traits::parse(*value, this->name, this->rules);
    }
    nlohmann::ordered_json to_json(const T& in) const override {
      if constexpr (detail::Unwrap<M>::optional) {
        const auto& v = in.*member;
        return v ? Traits::to_json(*v) : nlohmann::ordered_json(nullptr);
      } else {
        return Traits::to_json(in.*member);
      }
    }
    FieldInfo info() const override {
      const bool integer = std::is_integral_v<V> && !std::is_same_v<V, bool>;
      return FieldInfo{this->name,
                       Traits::type_name(this->rules),
                       Traits::example(this->rules),
                       this->rules.range_text(integer),
                       fallback ? Traits::show(*fallback, this->rules) : std::string{},
                       this->description,
                       this->required && !fallback,
                       detail::nested_info<V>()};
    }
  };

 public:
  /// Fluent declaration of one field; returned by Schema::field.
  template <class M>
  class FieldBuilder {
   public:
    using V = typename detail::Unwrap<M>::type;
    explicit FieldBuilder(Field<M>* f) : f_(f) {}
    FieldBuilder& desc(std::string text) { return f_->description = std::move(text), *this; }
    FieldBuilder& unit(Dimension d) { return f_->rules.unit = d, *this; }
    FieldBuilder& min(double v) { return f_->rules.min = v, f_->rules.min_exclusive = false, *this; }
    FieldBuilder& greater_than(double v) { return f_->rules.min = v, f_->rules.min_exclusive = true, *this; }
    FieldBuilder& max(double v) { return f_->rules.max = v, f_->rules.max_exclusive = false, *this; }
    FieldBuilder& less_than(double v) { return f_->rules.max = v, f_->rules.max_exclusive = true, *this; }
    FieldBuilder& one_of(std::vector<std::string> choices) { return f_->rules.choices = std::move(choices), *this; }
    /// Makes the field optional with this value when absent.
    FieldBuilder& default_value(V v) { return f_->fallback = std::move(v), f_->required = false, *this; }
    /// For std::optional members: absent means "not given" (the default for them).
    FieldBuilder& required() { return f_->required = true, *this; }

   private:
    Field<M>* f_;
  };

  Schema(std::string kind, std::string description) : kind_(std::move(kind)), description_(std::move(description)) {}

  template <class M>
  FieldBuilder<M> field(std::string name, M T::*member) {
    auto f = std::make_unique<Field<M>>();
    f->name = std::move(name);
    f->member = member;
    f->required = !detail::Unwrap<M>::optional;
    Field<M>* raw = f.get();
    fields_.push_back(std::move(f));
    return FieldBuilder<M>(raw);
  }

  /// A key that is accepted here and read elsewhere (the document's `kind`, a `source` note).
  Schema& allow_key(std::string key) { return allowed_keys_.push_back(std::move(key)), *this; }

  /// A check across fields, run after all fields are parsed; throw ConfigError from it.
  Schema& check(std::function<void(const T&, const ConfigNode&)> validate) {
    return checks_.push_back(std::move(validate)), *this;
  }

  const std::string& kind() const noexcept { return kind_; }

  T parse(const ConfigNode& node) const {
    if (!node.is_map())
      throw ConfigError(node.location(), "", "expected a mapping of keys for a {}, got a {}", kind_, node.type_name());
    const auto entries = node.entries();
    std::vector<std::string> known;
    for (const auto& f : fields_) known.push_back(f->name);
    for (const auto& entry : entries) {
      if (std::find(known.begin(), known.end(), entry.key) != known.end() ||
          std::find(allowed_keys_.begin(), allowed_keys_.end(), entry.key) != allowed_keys_.end())
        continue;
      throw ConfigError({node.file(), entry.key_line}, entry.key, "unknown key in {}{}; expected one of {}", kind_,
                        did_you_mean(entry.key, known), quoted_list(known));
    }
    T out{};
    for (const auto& f : fields_) {
      const ConfigNode* value = nullptr;
      for (const auto& entry : entries)
        if (entry.key == f->name) value = &entry.value;
      f->parse(out, value, node);
    }
    for (const auto& validate : checks_) validate(out, node);
    return out;
  }

  nlohmann::ordered_json to_json(const T& value) const {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (const auto& f : fields_) out[f->name] = f->to_json(value);
    return out;
  }

  SchemaInfo info() const {
    SchemaInfo out{kind_, description_, {}};
    for (const auto& f : fields_) out.fields.push_back(f->info());
    return out;
  }

 private:
  std::string kind_, description_;
  std::vector<std::unique_ptr<FieldBase>> fields_;
  std::vector<std::string> allowed_keys_;
  std::vector<std::function<void(const T&, const ConfigNode&)>> checks_;
};

/// Markdown reference of a schema and the mappings nested in it (the generated docs use this).
std::string schema_markdown(const SchemaInfo& info);
/// JSON description of a schema, for `deepnvm schema KIND --json`.
nlohmann::ordered_json schema_json(const SchemaInfo& info);

}  // namespace deepnvm
