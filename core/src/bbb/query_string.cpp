#include "bbb/query_string.hpp"

#include "bbb/utf8.hpp"

#include <algorithm>
#include <cstring>

namespace b3s::core::bbb {

namespace {

inline int hexValue(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

QueryParseResult failure(QueryError error, std::size_t offset) {
    QueryParseResult result;
    result.error = error;
    result.errorOffset = offset;
    return result;
}

// Checks one decoded component; returns None or the error kind.
QueryError checkDecoded(std::string_view decoded) noexcept {
    if (std::memchr(decoded.data(), '\0', decoded.size()) != nullptr) return QueryError::NulByte;
    if (!isValidUtf8(decoded)) return QueryError::InvalidUtf8;
    return QueryError::None;
}

// Offset of the segment holding the second occurrence of `name` (errors only: the first
// occurrence is a legitimate parameter, the second is what the client got wrong).
std::size_t secondOccurrence(std::string_view raw, std::string_view name) {
    bool seen = false;
    std::string decoded;
    for (std::size_t pos = 0; pos <= raw.size();) {
        std::size_t amp = raw.find('&', pos);
        if (amp == std::string_view::npos) amp = raw.size();
        const std::string_view segment = raw.substr(pos, amp - pos);
        decoded.clear();
        if (appendFormDecoded(decoded, segment.substr(0, segment.find('='))) && decoded == name) {
            if (seen) return pos;
            seen = true;
        }
        pos = amp + 1;
    }
    return 0;
}

QueryParseResult parse(std::string_view raw, std::size_t maxLength,
                       std::initializer_list<std::string_view> uniqueNames) {
    if (raw.size() > maxLength) return failure(QueryError::TooLong, maxLength);

    // Reserve for a typical call only: `&&&&…` must not reserve memory by itself.
    const auto segments = static_cast<std::size_t>(std::count(raw.begin(), raw.end(), '&')) + 1;
    std::vector<Param> entries;
    entries.reserve(std::min<std::size_t>(segments, 64));

    std::size_t pos = 0;
    while (pos <= raw.size()) {
        std::size_t amp = raw.find('&', pos);
        if (amp == std::string_view::npos) amp = raw.size();
        const std::string_view segment = raw.substr(pos, amp - pos);
        const std::size_t segmentOffset = pos;
        pos = amp + 1;
        if (segment.empty()) continue;

        const std::size_t eq = segment.find('=');
        const std::string_view rawName = segment.substr(0, eq);
        const std::string_view rawValue = eq == std::string_view::npos ? std::string_view{} : segment.substr(eq + 1);

        Param param;
        param.name.reserve(rawName.size());
        param.value.reserve(rawValue.size());
        if (!appendFormDecoded(param.name, rawName) || !appendFormDecoded(param.value, rawValue)) {
            return failure(QueryError::MalformedPercentEncoding, segmentOffset);
        }
        if (param.name.empty()) continue;  // `=x` names nothing; a servlet drops it too
        if (entries.size() == kMaxQueryParameters) return failure(QueryError::TooManyParameters, segmentOffset);
        if (const QueryError e = checkDecoded(param.name); e != QueryError::None) return failure(e, segmentOffset);
        if (const QueryError e = checkDecoded(param.value); e != QueryError::None) return failure(e, segmentOffset);
        entries.push_back(std::move(param));
    }

    // Refuse repetitions of the names the caller needs unique.
    for (const std::string_view unique : uniqueNames) {
        const auto count =
            std::count_if(entries.begin(), entries.end(), [&](const Param& p) { return p.name == unique; });
        if (count > 1) {
            QueryParseResult refused = failure(QueryError::RepeatedParameter, secondOccurrence(raw, unique));
            refused.errorName.assign(unique);
            return refused;
        }
    }

    QueryParseResult result;
    result.query.params = ParamList::fromEntries(std::move(entries), &result.query.repeated);
    result.query.raw.assign(raw);
    return result;
}

}  // namespace

const char* toString(QueryError error) noexcept {
    switch (error) {
        case QueryError::None: return "none";
        case QueryError::MalformedPercentEncoding: return "malformed_percent_encoding";
        case QueryError::InvalidUtf8: return "invalid_utf8";
        case QueryError::NulByte: return "nul_byte";
        case QueryError::TooLong: return "too_long";
        case QueryError::TooManyParameters: return "too_many_parameters";
        case QueryError::RepeatedParameter: return "repeated_parameter";
    }
    return "unknown";
}

bool ParsedQuery::isRepeated(std::string_view name) const noexcept {
    return std::find(repeated.begin(), repeated.end(), name) != repeated.end();
}

bool appendFormDecoded(std::string& out, std::string_view encoded) {
    std::size_t i = 0;
    const std::size_t n = encoded.size();
    while (i < n) {
        // Copy the run of bytes that need no decoding in one go.
        std::size_t run = i;
        while (run < n && encoded[run] != '%' && encoded[run] != '+') ++run;
        out.append(encoded.data() + i, run - i);
        i = run;
        if (i == n) break;
        if (encoded[i] == '+') {
            out.push_back(' ');
            ++i;
            continue;
        }
        if (n - i < 3) return false;  // `%` needs two more characters
        const int hi = hexValue(encoded[i + 1]);
        const int lo = hexValue(encoded[i + 2]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<char>((hi << 4) | lo));
        i += 3;
    }
    return true;
}

QueryParseResult parseQuery(std::string_view raw, std::size_t maxLength,
                            std::initializer_list<std::string_view> uniqueNames) {
    return parse(raw, maxLength, uniqueNames);
}

QueryParseResult parseFormBody(std::string_view body, std::size_t maxLength,
                               std::initializer_list<std::string_view> uniqueNames) {
    return parse(body, maxLength, uniqueNames);
}

}  // namespace b3s::core::bbb
