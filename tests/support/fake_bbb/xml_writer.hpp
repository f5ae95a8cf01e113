#pragma once
// The one XML writer of the fake BBB server: every value goes through escape(), so no
// response is ever built by concatenating unescaped text.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace b3s::test::bbb {

/// Builds an XML document the way bbb-web's FreeMarker templates print it under
/// <#compress>: one element per line, no indentation, no XML declaration.
/// Not thread-safe; one writer per response.
class XmlWriter {
public:
    using Attributes = std::vector<std::pair<std::string_view, std::string_view>>;

    /// `<name attr="v">` and a line break. Throws std::invalid_argument for a bad name.
    XmlWriter& open(std::string_view name, const Attributes& attributes = {});
    /// Closes the innermost open element. Throws std::logic_error when none is open.
    XmlWriter& close();
    /// `<name>escaped text</name>`; an empty value still prints both tags, as BBB does.
    XmlWriter& text(std::string_view name, std::string_view value, const Attributes& attributes = {});
    XmlWriter& boolean(std::string_view name, bool value);
    XmlWriter& number(std::string_view name, std::int64_t value);
    /// `<name/>`, used where BBB prints a self-closing element (`<meetings/>`).
    XmlWriter& empty(std::string_view name);

    /// The document without the trailing line break. Throws std::logic_error while an
    /// element is still open.
    std::string finish();

    /// Escapes & < > " ' and drops characters XML 1.0 cannot carry at all (C0 controls
    /// other than tab, CR, LF), which would otherwise make the whole document unparsable.
    static std::string escape(std::string_view value);
    /// True for a simple XML element name: [A-Za-z_][A-Za-z0-9_.-]*. Names derived from
    /// user input (metadata, custom data) must be checked with this before use.
    static bool isName(std::string_view name);

private:
    void startTag(std::string_view name, const Attributes& attributes);

    std::string out_;
    std::vector<std::string> open_;
};

}  // namespace b3s::test::bbb
