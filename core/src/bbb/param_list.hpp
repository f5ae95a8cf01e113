#pragma once
// The decoded parameters of one BBB API call: an ordered list of (name, value) in which
// every name occurs once. BBB takes the first value of a repeated parameter, so the parser
// keeps the first occurrence in its place; names are case-sensitive, as in bbb-web.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::bbb {

/// One parameter, decoded (percent-escapes resolved, `+` turned into a space).
struct Param {
    std::string name;
    std::string value;

    friend bool operator==(const Param&, const Param&) = default;
};

/// Ordered parameters with unique names. Lookups are linear: a BBB call carries a few
/// dozen parameters at most, and a linear scan over them beats hashing.
/// Thread-safety: a value type; const methods may run concurrently, mutation needs
/// exclusive access.
class ParamList {
public:
    ParamList() = default;

    /// Builds a list from `entries`, keeping the first occurrence of every name in its
    /// position and dropping later ones. Runs in O(n log n) for long inputs so that a
    /// hostile query with thousands of parameters cannot make it quadratic.
    /// When `repeated` is given, the names that occurred more than once are appended to it,
    /// each once, in the order of their first occurrence.
    /// Errors: none (allocation failure throws std::bad_alloc, as everywhere).
    static ParamList fromEntries(std::vector<Param> entries, std::vector<std::string>* repeated = nullptr);

    // Lookups are const and noexcept; mutators may throw only std::bad_alloc.

    /// Value of `name`, or nullptr when absent. The pointer lives until the next mutation.
    const std::string* find(std::string_view name) const noexcept;
    /// Value of `name` as a view, or nullopt. Same lifetime as find().
    std::optional<std::string_view> get(std::string_view name) const noexcept;
    bool contains(std::string_view name) const noexcept { return find(name) != nullptr; }

    /// Sets `name` to `value`: replaces the value in place when present, appends otherwise.
    void set(std::string_view name, std::string_view value);
    /// Appends `name`=`value` only when `name` is absent. Returns true when it was added.
    bool setIfAbsent(std::string_view name, std::string_view value);
    /// Removes `name`. Returns true when it was present.
    bool erase(std::string_view name);

    std::size_t size() const noexcept { return entries_.size(); }
    bool empty() const noexcept { return entries_.empty(); }
    const std::vector<Param>& entries() const noexcept { return entries_; }
    std::vector<Param>::const_iterator begin() const noexcept { return entries_.begin(); }
    std::vector<Param>::const_iterator end() const noexcept { return entries_.end(); }

    friend bool operator==(const ParamList&, const ParamList&) = default;

private:
    std::vector<Param> entries_;
};

}  // namespace b3s::core::bbb
