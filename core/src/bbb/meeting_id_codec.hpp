#pragma once
// Tenant-unique meeting IDs, byte-identical to b3scale's RewriteUniqueMeetingID:
//
//   encode(key, id) = base64url_padded( json_array(key, id, "b3scl") )
//
// where the JSON is what Go's encoding/json Marshal writes for a []string (compact, HTML
// escaping on). The encoded value is what the BBB backends see and what the store keeps,
// so meetings and recordings created by the Go implementation stay addressable.

#include <optional>
#include <string>
#include <string_view>

namespace b3s::core::bbb {

/// The third array element that marks an encoded ID.
inline constexpr std::string_view kMeetingIdMarker = "b3scl";

/// A decoded meeting ID together with the frontend key it was encoded for.
struct DecodedMeetingId {
    std::string frontendKey;
    std::string meetingId;

    friend bool operator==(const DecodedMeetingId&, const DecodedMeetingId&) = default;
};

/// Encodes one meeting ID for `frontendKey`. Invalid UTF-8 in either input is replaced by
/// U+FFFD byte by byte, as Go does, so such inputs do not round-trip unchanged.
/// Errors: none. Thread-safety: pure function.
std::string encodeMeetingId(std::string_view frontendKey, std::string_view meetingId);

/// b3scale's request rewrite: splits `meetingIds` on `,`, encodes every element (an empty
/// element too) and joins the results with `,`. For a value without a comma this equals
/// encodeMeetingId(). Errors: none. Thread-safety: pure function.
std::string encodeMeetingIdList(std::string_view frontendKey, std::string_view meetingIds);

/// Decodes an encoded ID and returns the original meeting ID (array element 2), or nullopt
/// when `value` is not an encoded ID — the caller then keeps `value` unchanged, as b3scale's
/// maybeDecode does. Accepted: padded base64url (length a multiple of 4, `=` padding only
/// at the end) of a JSON array of exactly three strings whose third is "b3scl"; JSON
/// whitespace and every JSON escape are accepted as Go's json.Unmarshal does.
/// The frontend key inside is NOT checked; use decodeMeetingIdWithKey() for tenancy checks.
/// Errors: nullopt, never thrown. Thread-safety: pure function.
std::optional<std::string> decodeMeetingId(std::string_view value);

/// As decodeMeetingId(), also returning the frontend key the ID was encoded for.
/// Thread-safety: pure function.
std::optional<DecodedMeetingId> decodeMeetingIdWithKey(std::string_view value);

/// Appends `text` as a JSON string literal (with quotes) escaped exactly as Go's
/// encoding/json (escapeHTML on, Go >= 1.22): `"` `\` → `\"` `\\`; \b \f \n \r \t →
/// short escapes; other bytes < 0x20 and `<` `>` `&` → `\u00xx` (lowercase hex);
/// U+2028/U+2029 → `\u2028`/`\u2029`; each byte not starting a valid UTF-8 sequence →
/// the six characters `\ufffd`; everything else (including U+007F) verbatim.
/// Thread-safety: pure function.
void appendGoJsonString(std::string& out, std::string_view text);

/// Appends the padded URL-safe base64 (RFC 4648 §5, `=` padding) of `data`.
/// Thread-safety: pure function.
void appendBase64Url(std::string& out, std::string_view data);

/// Decodes padded URL-safe base64; nullopt on any character outside the alphabet, a length
/// that is not a multiple of 4 or misplaced padding. Like Go's base64.URLEncoding (not
/// Strict) it accepts non-zero unused bits in the last character; unlike Go it does not
/// skip CR/LF. Thread-safety: pure function.
std::optional<std::string> decodeBase64Url(std::string_view text);

}  // namespace b3s::core::bbb
