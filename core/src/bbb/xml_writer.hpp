#pragma once
// The one XML writer of b3scale: a small streaming writer into a std::string, used for every
// BBB API answer the gateway builds itself. No DOM, no iostreams.
//
// Escaping (text and attribute values alike):
//   &  <  >  "  '        → &amp; &lt; &gt; &quot; &apos;
//   CR                   → &#13;   (a parser would turn a literal CR into LF)
//   TAB, LF in text      → kept literally, as bbb-web's templates do (welcome messages,
//                          names with line breaks come back as written)
//   TAB, LF in attributes→ &#9; &#10; (attribute-value normalisation would turn them into
//                          spaces)
//   other C0 controls, U+FFFE, U+FFFF, and each byte that does not start valid UTF-8
//                        → U+FFFD (XML 1.0 cannot carry them, not even as references)
// so any byte string yields well-formed XML text.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::bbb {

/// Streaming XML writer. Misuse (an invalid element or attribute name, an attribute after
/// content, endElement() without an open element) does not throw: the writer records it,
/// writes nothing for that call, and ok() turns false — callers check ok() before sending
/// and answer internalError otherwise. Element names that come from user input (metadata)
/// should be checked with isValidName() first and skipped when invalid.
/// Thread-safety: none; one writer per response, owned by one thread.
class XmlWriter {
public:
    XmlWriter() = default;
    /// Reserves `capacity` bytes up front (a typical answer is well under 1 KiB).
    explicit XmlWriter(std::size_t capacity) { out_.reserve(capacity); }

    /// Writes `<name` and leaves the start tag open for attribute().
    XmlWriter& startElement(std::string_view name);
    /// Writes ` name="value"` into the open start tag.
    XmlWriter& attribute(std::string_view name, std::string_view value);
    /// Writes escaped character data inside the current element.
    XmlWriter& text(std::string_view text);
    /// Closes the innermost open element: `/>` when it has no content, `</name>` otherwise.
    XmlWriter& endElement();
    /// `<name>text</name>`; written in this long form even when `text` is empty, as bbb-web
    /// does (`<message></message>`).
    XmlWriter& element(std::string_view name, std::string_view text);
    /// Appends a fragment that is already well-formed XML (e.g. a `<meeting>` node taken
    /// from a backend answer). Not checked: the caller guarantees it.
    XmlWriter& rawXml(std::string_view xml);

    /// False after any misuse (see the class comment).
    bool ok() const noexcept { return ok_; }
    /// Number of elements currently open.
    std::size_t depth() const noexcept { return open_.size(); }
    /// The document so far.
    const std::string& str() const noexcept { return out_; }
    /// Closes every open element and hands the document over; the writer is empty
    /// afterwards (ok() keeps its value).
    std::string finish();

    /// True when `name` is an XML 1.0 Name (letters, digits, `_` `-` `.` `:` and the
    /// non-ASCII ranges of the XML spec; not starting with a digit, `-` or `.`).
    /// Pure, never fails; safe from any thread.
    static bool isValidName(std::string_view name) noexcept;
    /// Appends `text` escaped for element content (rules above). Pure apart from `out`;
    /// any input is accepted.
    static void appendEscapedText(std::string& out, std::string_view text);
    /// Appends `text` escaped for a double-quoted attribute value (rules above). Pure apart
    /// from `out`; any input is accepted.
    static void appendEscapedAttribute(std::string& out, std::string_view text);

private:
    void closeStartTag();

    std::string out_;
    std::vector<std::string> open_;  // names of open elements, innermost last
    bool startTagOpen_ = false;
    bool ok_ = true;
};

}  // namespace b3s::core::bbb
