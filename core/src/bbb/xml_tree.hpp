#pragma once
// The one XML reader of b3scale: parses an answer that came back from a BBB backend into a
// small tree, so the gateway can inspect and rewrite it (decode <meetingID>, pick <meeting>
// nodes out of getMeetings) and send it on through XmlWriter, the one writer.
//
// Safety (the input comes from a backend, i.e. from the network):
//   * a DOCTYPE anywhere is refused, so there are no DTDs, no entity declarations and no
//     external entities; only the five predefined entities and character references are
//     decoded. This is what protects against entity-expansion bombs ("billion laughs") and
//     against reading local files (`SYSTEM "file:///etc/passwd"`);
//   * size, nesting depth and node count are capped (XmlParseLimits), and parsing stops early
//     once a cap is exceeded;
//   * input with a NUL byte is refused. XML cannot carry U+0000, so such input is malformed
//     UTF-8 XML or UTF-16/UTF-32, which bbb-web never sends; refusing it keeps the DOCTYPE check
//     a plain byte check.
// Names are kept as written (no namespace processing: `a:b` stays `a:b`). Every string in the
// tree is UTF-8 (expat converts a document that declares another 8-bit encoding).

#include "bbb/xml_writer.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace b3s::core::bbb {

/// One node of a parsed document: an element (name, attributes in document order, children)
/// or a text node. A plain value type: copyable, movable, no back pointers; safe to hand to
/// another thread, not to share for writing. Destruction, copying, writeXml() and
/// forEachElement() recurse once per level, so trees are as deep as XmlParseLimits::max_depth
/// allows (hand-built trees should stay as shallow).
struct XmlNode {
    enum class Kind { Element, Text };
    Kind kind = Kind::Element;
    std::string name;                                             ///< element name (Element only)
    std::vector<std::pair<std::string, std::string>> attributes;  ///< decoded values, document order
    std::vector<XmlNode> children;                                ///< mixed content, document order
    std::string text;                                             ///< decoded text (Text only)

    /// First child element called `name`, or nullptr. The pointer lives as long as this
    /// node's `children` is not modified.
    const XmlNode* child(std::string_view name) const noexcept;
    XmlNode* child(std::string_view name) noexcept;
    /// Every child element called `name`, in document order (pointers as for child()).
    std::vector<const XmlNode*> childrenNamed(std::string_view name) const;
    /// Concatenated text of the direct Text children (not of descendants).
    std::string textContent() const;
    /// Text of child `name` (its textContent()), or nullopt when there is no such child.
    std::optional<std::string> childText(std::string_view name) const;
    /// Replaces all children by a single Text node (or none when `text` is empty).
    void setText(std::string text);
};

/// Caps applied by parseXml(). Every element and every text node counts as a node, the
/// formatting whitespace between elements included (it is counted before it is dropped).
struct XmlParseLimits {
    std::size_t max_bytes = 16 << 20;  ///< larger input is refused
    std::size_t max_depth = 64;        ///< the root element is depth 1
    std::size_t max_nodes = 1'000'000;
};

/// Parses a whole document and returns its root element, or nullopt when the input is not
/// well-formed XML, exceeds a limit, or contains a DOCTYPE (refused: no DTDs, no entity
/// expansion beyond the five predefined ones and character references — this protects against
/// entity-expansion bombs and external entities). The XML declaration, comments and processing
/// instructions are skipped. CDATA sections become ordinary text (merged with adjacent text
/// into one Text node). Whitespace-only text that sits in an element which also has element
/// children is dropped (it is formatting between elements, as bbb-web pretty-prints every
/// answer); all other text is kept verbatim, whitespace included (after XML's own line-end
/// and attribute-value normalisation: CR LF becomes LF, a literal TAB or LF in an attribute
/// becomes a space). Input with a NUL byte (hence UTF-16/UTF-32 documents) is refused.
/// Never throws (besides std::bad_alloc); the reason of a refusal is not reported, callers
/// log the failure with their own context. Thread-safety: pure function.
std::optional<XmlNode> parseXml(std::string_view xml, const XmlParseLimits& limits = {});

/// Writes `node` (and its subtree) through `writer` using XmlWriter::startElement/attribute/
/// text/endElement, so escaping is the project's one escaping. An element name or attribute
/// name that is not a valid XML name makes the writer's ok() false (XmlWriter's own rule) and
/// the subtree below an invalid element name is not written; a Text node written outside any
/// element does the same. Callers check ok(). Thread-safety: as XmlWriter (one per thread).
void writeXml(XmlWriter& writer, const XmlNode& node);
/// Convenience: the node serialised on its own (no declaration). Returns nullopt when the
/// writer reported misuse (an invalid name, or `node` is a Text node). Pure function.
std::optional<std::string> toXml(const XmlNode& node);

/// Calls `visit` on every element of the subtree (pre-order, the root included) and lets it
/// mutate. `visit` sees a node before its children, so children it adds are visited and
/// children it removes are not. `visit` must not modify the children of an ancestor of the
/// node it is given. Exceptions from `visit` propagate (the tree keeps the changes made so
/// far). Text nodes are not visited.
void forEachElement(XmlNode& root, const std::function<void(XmlNode&)>& visit);

}  // namespace b3s::core::bbb
