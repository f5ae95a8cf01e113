#pragma once
// Decoded request parameters, kept in arrival order. Used only for reading values; the
// checksum is always verified on the raw, undecoded query string.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace b3s::test::bbb {

class QueryParams {
public:
    /// Parses "a=1&b=x+y&c=%2F": '+' becomes a space, %XX is decoded, a malformed escape is
    /// kept literally (as lenient servlet containers do), empty pieces are skipped.
    static QueryParams parse(std::string_view raw);
    static std::string decode(std::string_view raw);

    void add(std::string key, std::string value);
    /// Appends every parameter of `other` whose name is not present yet: URL parameters win
    /// over form-body parameters of the same name.
    void addMissing(const QueryParams& other);

    /// The first value of `key`, or nullptr.
    const std::string* find(std::string_view key) const;
    /// The first value of `key`, or "" when absent (BBB treats absent and empty alike).
    std::string_view value(std::string_view key) const;
    bool has(std::string_view key) const { return find(key) != nullptr; }
    const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

private:
    std::vector<std::pair<std::string, std::string>> entries_;
};

}  // namespace b3s::test::bbb
