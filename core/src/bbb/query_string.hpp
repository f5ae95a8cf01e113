#pragma once
// Parsing of a BBB API call's parameters from the raw query string (as received, not yet
// decoded) or from an application/x-www-form-urlencoded body. The raw text is kept
// because the checksum is computed over the raw bytes, never over a re-encoding.
//
// Rules (those of a servlet container such as bbb-web's Tomcat, made strict):
//   * parameters are separated by `&` only (`;` is data);
//   * a segment without `=` is a name with an empty value; empty segments (`a=1&&b=2`,
//     a trailing `&`) and segments with an empty name (`=x`) are skipped;
//   * `+` decodes to a space and `%XX` (hex, either case) to the byte XX, in names and
//     values alike;
//   * a repeated name keeps its first value (BBB's rule); the repetition is reported.
// Unlike a servlet container, bad input is refused instead of being mangled silently.

#include "bbb/param_list.hpp"

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::bbb {

/// Suggested limits for callers; the parser takes the limit as an argument.
inline constexpr std::size_t kDefaultMaxQueryLength = 64 * 1024;
/// BBB documents about 2 MB as the request size limit for create.
inline constexpr std::size_t kDefaultMaxFormBodyLength = 2 * 1024 * 1024;
/// At most this many parameters (Tomcat's long-standing maxParameterCount). A real BBB call
/// has a few dozen; the cap keeps a 2 MB body of `a&a&a…` from costing ~64 MB of memory.
inline constexpr std::size_t kMaxQueryParameters = 10000;

/// Why a query string or form body was refused.
enum class QueryError {
    None,
    MalformedPercentEncoding,  ///< `%` not followed by two hex digits (`%zz`, a trailing `%4`)
    InvalidUtf8,               ///< a decoded name or value is not valid UTF-8
    NulByte,                   ///< a decoded name or value contains U+0000
    TooLong,                   ///< the raw text is longer than the limit passed in
    TooManyParameters,         ///< more than kMaxQueryParameters non-empty parameters
    RepeatedParameter,         ///< a name listed as unique occurs more than once
};

/// Stable lower-case name of an error kind, for logs ("malformed_percent_encoding", …).
/// Pure, never fails.
const char* toString(QueryError error) noexcept;

/// A successfully parsed query string or form body.
struct ParsedQuery {
    std::string raw;                    ///< the text exactly as received
    ParamList params;                   ///< decoded, first value of each name, in order
    std::vector<std::string> repeated;  ///< names seen more than once, each once, in order

    /// True when `name` occurred more than once in the raw text. Const, never fails.
    bool isRepeated(std::string_view name) const noexcept;
};

/// Result of parsing: `error == QueryError::None` means `query` is valid.
struct QueryParseResult {
    QueryError error = QueryError::None;
    /// Byte offset in the raw text of the offending parameter (its first byte; for
    /// TooManyParameters the first one over the cap), or of the first byte past the limit
    /// for TooLong. 0 when there is no error.
    std::size_t errorOffset = 0;
    /// For RepeatedParameter: the repeated name (decoded). Empty otherwise.
    std::string errorName;
    /// The parse result; default-constructed (empty) when `error != None`.
    ParsedQuery query;

    bool ok() const noexcept { return error == QueryError::None; }
};

/// Parses a raw query string (the part after `?`, without `#fragment`, undecoded).
/// `maxLength`: raw texts longer than this are refused (TooLong) before any work is done;
/// more than kMaxQueryParameters parameters are refused with TooManyParameters.
/// `uniqueNames`: names that must not repeat (the gateway passes {"meetingID", "checksum"});
/// a repetition of one of them fails with RepeatedParameter and `errorName` = that name.
/// Other repetitions succeed and are listed in `query.repeated` so the caller decides.
/// Errors are returned, never thrown (except std::bad_alloc).
/// Thread-safety: pure function.
QueryParseResult parseQuery(std::string_view raw, std::size_t maxLength,
                            std::initializer_list<std::string_view> uniqueNames = {});

/// Parses an application/x-www-form-urlencoded body with exactly the rules of parseQuery().
/// The body is not covered by the BBB checksum; its raw text is kept for forwarding.
/// Thread-safety: pure function.
QueryParseResult parseFormBody(std::string_view body, std::size_t maxLength,
                               std::initializer_list<std::string_view> uniqueNames = {});

/// Percent-decodes one form-encoded component (`+` → space) and appends it to `out`.
/// Returns false, leaving `out` partly appended, when an escape is malformed. No UTF-8 or
/// NUL check is made here. Thread-safety: pure function.
bool appendFormDecoded(std::string& out, std::string_view encoded);

}  // namespace b3s::core::bbb
