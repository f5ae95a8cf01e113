#include "fake_bbb/xml_writer.hpp"

#include <stdexcept>

namespace b3s::test::bbb {

namespace {

void appendEscaped(std::string& out, std::string_view value) {
    for (char c : value) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
                out += c;
        }
    }
}

void requireName(std::string_view name) {
    if (!XmlWriter::isName(name)) throw std::invalid_argument("not an XML element name: " + std::string(name));
}

}  // namespace

std::string XmlWriter::escape(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    appendEscaped(out, value);
    return out;
}

bool XmlWriter::isName(std::string_view name) {
    if (name.empty()) return false;
    auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
    if (!alpha(name.front())) return false;
    for (char c : name)
        if (!alpha(c) && !(c >= '0' && c <= '9') && c != '-' && c != '.') return false;
    // Names starting with "xml" are reserved by the XML specification.
    if (name.size() >= 3 && (name[0] | 0x20) == 'x' && (name[1] | 0x20) == 'm' && (name[2] | 0x20) == 'l') return false;
    return true;
}

void XmlWriter::startTag(std::string_view name, const Attributes& attributes) {
    requireName(name);
    out_ += '<';
    out_ += name;
    for (const auto& [key, value] : attributes) {
        requireName(key);
        out_ += ' ';
        out_ += key;
        out_ += "=\"";
        appendEscaped(out_, value);
        out_ += '"';
    }
    out_ += '>';
}

XmlWriter& XmlWriter::open(std::string_view name, const Attributes& attributes) {
    startTag(name, attributes);
    out_ += '\n';
    open_.emplace_back(name);
    return *this;
}

XmlWriter& XmlWriter::close() {
    if (open_.empty()) throw std::logic_error("XmlWriter::close without an open element");
    out_ += "</";
    out_ += open_.back();
    out_ += ">\n";
    open_.pop_back();
    return *this;
}

XmlWriter& XmlWriter::text(std::string_view name, std::string_view value, const Attributes& attributes) {
    startTag(name, attributes);
    appendEscaped(out_, value);
    out_ += "</";
    out_ += name;
    out_ += ">\n";
    return *this;
}

XmlWriter& XmlWriter::boolean(std::string_view name, bool value) {
    return text(name, value ? "true" : "false");
}

XmlWriter& XmlWriter::number(std::string_view name, std::int64_t value) {
    return text(name, std::to_string(value));
}

XmlWriter& XmlWriter::empty(std::string_view name) {
    requireName(name);
    out_ += '<';
    out_ += name;
    out_ += "/>\n";
    return *this;
}

std::string XmlWriter::finish() {
    if (!open_.empty()) throw std::logic_error("XmlWriter::finish with <" + open_.back() + "> still open");
    if (!out_.empty() && out_.back() == '\n') out_.pop_back();
    return std::move(out_);
}

}  // namespace b3s::test::bbb
