#include "bbb/xml_writer.hpp"

#include "bbb/utf8.hpp"

#include <array>

namespace b3s::core::bbb {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

constexpr std::array<bool, 128> makeSpecialTable() {
    std::array<bool, 128> table{};
    for (unsigned c = 0; c < 0x20; ++c) table[c] = true;
    table['&'] = table['<'] = table['>'] = table['"'] = table['\''] = true;
    return table;
}
constexpr auto kSpecial = makeSpecialTable();

void appendEscaped(std::string& out, std::string_view text, bool attribute) {
    std::size_t start = 0;
    std::size_t i = 0;
    const std::size_t n = text.size();
    auto flush = [&](std::size_t upTo) { out.append(text.data() + start, upTo - start); };
    while (i < n) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (!kSpecial[c]) {
                ++i;
                continue;
            }
            const char* replacement = nullptr;
            switch (c) {
                case '&': replacement = "&amp;"; break;
                case '<': replacement = "&lt;"; break;
                case '>': replacement = "&gt;"; break;
                case '"': replacement = "&quot;"; break;
                case '\'': replacement = "&apos;"; break;
                case '\r': replacement = "&#13;"; break;
                case '\n': replacement = attribute ? "&#10;" : nullptr; break;
                case '\t': replacement = attribute ? "&#9;" : nullptr; break;
                default: replacement = kReplacement.data(); break;
            }
            if (replacement == nullptr) {  // LF or TAB in text: kept as is
                ++i;
                continue;
            }
            flush(i);
            out.append(replacement);
            start = ++i;
            continue;
        }
        const Utf8Char ch = decodeUtf8(text, i);
        if (ch.size == 0 || ch.codePoint == 0xFFFE || ch.codePoint == 0xFFFF) {
            flush(i);
            out.append(kReplacement);
            i += ch.size == 0 ? 1 : ch.size;
            start = i;
            continue;
        }
        i += ch.size;
    }
    flush(n);
}

bool isNameStartCodePoint(char32_t c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' || (c >= 0xC0 && c <= 0xD6) ||
           (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
           (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
           (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
           (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}

bool isNameCodePoint(char32_t c) noexcept {
    return isNameStartCodePoint(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7 ||
           (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

}  // namespace

bool XmlWriter::isValidName(std::string_view name) noexcept {
    if (name.empty()) return false;
    std::size_t i = 0;
    bool first = true;
    while (i < name.size()) {
        const Utf8Char ch = decodeUtf8(name, i);
        if (ch.size == 0) return false;
        if (first ? !isNameStartCodePoint(ch.codePoint) : !isNameCodePoint(ch.codePoint)) return false;
        first = false;
        i += ch.size;
    }
    return true;
}

void XmlWriter::appendEscapedText(std::string& out, std::string_view text) {
    appendEscaped(out, text, false);
}

void XmlWriter::appendEscapedAttribute(std::string& out, std::string_view text) {
    appendEscaped(out, text, true);
}

void XmlWriter::closeStartTag() {
    if (startTagOpen_) {
        out_.push_back('>');
        startTagOpen_ = false;
    }
}

XmlWriter& XmlWriter::startElement(std::string_view name) {
    if (!isValidName(name)) {
        ok_ = false;
        return *this;
    }
    closeStartTag();
    out_.push_back('<');
    out_.append(name);
    open_.emplace_back(name);
    startTagOpen_ = true;
    return *this;
}

XmlWriter& XmlWriter::attribute(std::string_view name, std::string_view value) {
    if (!startTagOpen_ || !isValidName(name)) {
        ok_ = false;
        return *this;
    }
    out_.push_back(' ');
    out_.append(name);
    out_.append("=\"");
    appendEscapedAttribute(out_, value);
    out_.push_back('"');
    return *this;
}

XmlWriter& XmlWriter::text(std::string_view text) {
    if (open_.empty()) {  // text outside the root element is not XML
        ok_ = false;
        return *this;
    }
    closeStartTag();
    appendEscapedText(out_, text);
    return *this;
}

XmlWriter& XmlWriter::endElement() {
    if (open_.empty()) {
        ok_ = false;
        return *this;
    }
    if (startTagOpen_) {
        out_.append("/>");
        startTagOpen_ = false;
    } else {
        out_.append("</");
        out_.append(open_.back());
        out_.push_back('>');
    }
    open_.pop_back();
    return *this;
}

XmlWriter& XmlWriter::element(std::string_view name, std::string_view text) {
    if (!isValidName(name)) {
        ok_ = false;
        return *this;
    }
    closeStartTag();
    out_.push_back('<');
    out_.append(name);
    out_.push_back('>');
    appendEscapedText(out_, text);
    out_.append("</");
    out_.append(name);
    out_.push_back('>');
    return *this;
}

XmlWriter& XmlWriter::rawXml(std::string_view xml) {
    closeStartTag();
    out_.append(xml);
    return *this;
}

std::string XmlWriter::finish() {
    while (!open_.empty()) endElement();
    std::string result = std::move(out_);
    out_.clear();
    startTagOpen_ = false;
    return result;
}

}  // namespace b3s::core::bbb
