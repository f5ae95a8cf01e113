#include "bbb/xml_tree.hpp"

#include <Poco/Exception.h>
#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/ContentHandler.h>
#include <Poco/SAX/DeclHandler.h>
#include <Poco/SAX/DTDHandler.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/SAX/LexicalHandler.h>
#include <Poco/XML/NamespaceStrategy.h>
#include <Poco/XML/ParserEngine.h>
#include <Poco/XML/XMLString.h>

#include <algorithm>
#include <exception>
#include <istream>
#include <new>
#include <streambuf>
#include <type_traits>

namespace b3s::core::bbb {

namespace {

using Poco::XML::XMLChar;
using Poco::XML::XMLString;

// The tree stores XMLString as std::string without conversion.
static_assert(std::is_same_v<XMLString, std::string>, "POCO must be built with UTF-8 XMLString");

bool isXmlSpace(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isWhitespaceOnly(std::string_view text) noexcept {
    return std::all_of(text.begin(), text.end(), isXmlSpace);
}

// True when the prolog holds a DOCTYPE. By the XML grammar only whitespace, comments and
// processing instructions (the XML declaration looks like one here) may precede it, so the
// scan skips exactly those and looks at what comes next; a DOCTYPE anywhere later is not
// well-formed and expat refuses it on its own. Callers have refused NUL bytes, so the
// document is in an ASCII-compatible encoding and markup is plain bytes. The parser's DTD
// callbacks stay armed as a second line (see TreeBuilder).
bool prologHasDoctype(std::string_view xml) noexcept {
    std::size_t i = xml.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // UTF-8 byte order mark
    for (;;) {
        while (i < xml.size() && isXmlSpace(xml[i])) ++i;
        const std::string_view rest = xml.substr(i);
        std::size_t end = std::string_view::npos;
        std::size_t terminator = 0;
        if (rest.starts_with("<?")) {
            end = rest.find("?>", 2);
            terminator = 2;
        } else if (rest.starts_with("<!--")) {
            end = rest.find("-->", 4);
            terminator = 3;
        } else {
            return rest.starts_with("<!DOCTYPE");
        }
        if (end == std::string_view::npos) return false;  // unterminated: expat refuses it
        i += end + terminator;
    }
}

// Builds the tree from POCO's SAX events and enforces the limits. No exception may leave a
// callback: the callbacks run inside expat's C code, and unwinding through it is not
// something expat supports. Instead a failure (a limit, a DTD event, an allocation failure)
// sets stopped(), later events are ignored, and StoppableInput stops feeding expat, so
// parsing ends within one buffer of the failure.
class TreeBuilder final : public Poco::XML::ContentHandler,
                          public Poco::XML::LexicalHandler,
                          public Poco::XML::DeclHandler,
                          public Poco::XML::DTDHandler {
public:
    explicit TreeBuilder(const XmlParseLimits& limits) noexcept : limits_(limits) {}

    bool stopped() const noexcept { return stopped_; }
    bool outOfMemory() const noexcept { return outOfMemory_; }

    /// The root element, or nullopt when parsing was stopped or never completed an element.
    std::optional<XmlNode> takeRoot() {
        if (stopped_ || !stack_.empty()) return std::nullopt;
        return std::move(root_);
    }

    // --- ContentHandler ---------------------------------------------------------------
    void setDocumentLocator(const Poco::XML::Locator*) override {}
    void startDocument() override {}
    void endDocument() override {}
    void startElement(const XMLString&, const XMLString&, const XMLString& qname,
                      const Poco::XML::Attributes& attributes) override {
        guarded([&] { openElement(qname, attributes); });
    }
    void endElement(const XMLString&, const XMLString&, const XMLString&) override {
        guarded([&] { closeElement(); });
    }
    void characters(const XMLChar ch[], int start, int length) override {
        guarded([&] { appendText(ch, start, length); });
    }
    void ignorableWhitespace(const XMLChar ch[], int start, int length) override {
        guarded([&] { appendText(ch, start, length); });  // not sent without a DTD; kept as text
    }
    void processingInstruction(const XMLString&, const XMLString&) override {}
    void startPrefixMapping(const XMLString&, const XMLString&) override {}
    void endPrefixMapping(const XMLString&) override {}
    // An entity the parser did not expand can only be declared in a DTD.
    void skippedEntity(const XMLString&) override { stop(); }

    // --- LexicalHandler -----------------------------------------------------------------
    void startDTD(const XMLString&, const XMLString&, const XMLString&) override { stop(); }
    void endDTD() override { stop(); }
    void startEntity(const XMLString&) override { stop(); }
    void endEntity(const XMLString&) override { stop(); }
    void startCDATA() override {}  // CDATA arrives through characters() and merges with text
    void endCDATA() override {}
    void comment(const XMLChar[], int, int) override {}

    // --- DeclHandler, DTDHandler: every one of these means a DTD got through ---------------
    void attributeDecl(const XMLString&, const XMLString&, const XMLString*, const XMLString*) override { stop(); }
    void elementDecl(const XMLString&, const XMLString&) override { stop(); }
    void externalEntityDecl(const XMLString&, const XMLString*, const XMLString&) override { stop(); }
    void internalEntityDecl(const XMLString&, const XMLString&) override { stop(); }
    void notationDecl(const XMLString&, const XMLString*, const XMLString*) override { stop(); }
    void unparsedEntityDecl(const XMLString&, const XMLString*, const XMLString&, const XMLString&) override { stop(); }

private:
    template <class F>
    void guarded(F&& body) noexcept {
        if (stopped_) return;
        try {
            body();
        } catch (const std::bad_alloc&) {
            outOfMemory_ = true;
            stop();
        } catch (const std::exception&) {  // std::length_error from a huge string: refuse
            stop();
        }
    }

    void stop() noexcept {
        stopped_ = true;
        stack_.clear();  // give the memory back now, not when parsing has wound down
        root_.reset();
    }

    bool countNode() noexcept {
        if (nodes_ >= limits_.max_nodes) {
            stop();
            return false;
        }
        ++nodes_;
        return true;
    }

    void openElement(const XMLString& name, const Poco::XML::Attributes& attributes) {
        if (stack_.size() >= limits_.max_depth) {
            stop();
            return;
        }
        if (!countNode()) return;
        XmlNode& node = stack_.emplace_back();
        node.name = name;
        const int count = attributes.getLength();
        node.attributes.reserve(static_cast<std::size_t>(std::max(count, 0)));
        for (int i = 0; i < count; ++i) node.attributes.emplace_back(attributes.getQName(i), attributes.getValue(i));
    }

    void closeElement() {
        if (stack_.empty()) {  // expat never does this; do not trust it blindly either
            stop();
            return;
        }
        XmlNode node = std::move(stack_.back());
        stack_.pop_back();
        dropFormattingWhitespace(node);
        if (stack_.empty()) {
            root_ = std::move(node);
        } else {
            stack_.back().children.push_back(std::move(node));
        }
    }

    void appendText(const XMLChar ch[], int start, int length) {
        if (length <= 0 || stack_.empty()) return;  // expat reports nothing outside the root anyway
        std::vector<XmlNode>& children = stack_.back().children;
        if (children.empty() || children.back().kind != XmlNode::Kind::Text) {
            if (!countNode()) return;
            XmlNode text;
            text.kind = XmlNode::Kind::Text;
            children.push_back(std::move(text));
        }
        children.back().text.append(ch + start, static_cast<std::size_t>(length));
    }

    // bbb-web pretty-prints its answers; the indentation between elements is not content.
    static void dropFormattingWhitespace(XmlNode& node) {
        const auto isElement = [](const XmlNode& c) { return c.kind == XmlNode::Kind::Element; };
        if (std::none_of(node.children.begin(), node.children.end(), isElement)) return;
        std::erase_if(node.children,
                      [](const XmlNode& c) { return c.kind == XmlNode::Kind::Text && isWhitespaceOnly(c.text); });
    }

    const XmlParseLimits& limits_;
    std::vector<XmlNode> stack_;  // open elements, innermost last
    std::optional<XmlNode> root_;
    std::size_t nodes_ = 0;
    bool stopped_ = false;
    bool outOfMemory_ = false;
};

// Hands the document to expat one block at a time and reports end of input as soon as the
// builder has stopped, which is how a refusal ends the parse early without an exception
// crossing expat.
class StoppableInput final : public std::streambuf {
public:
    StoppableInput(std::string_view data, const TreeBuilder& builder) noexcept : data_(data), builder_(builder) {}

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        if (builder_.stopped() || offset_ >= data_.size()) return traits_type::eof();
        const std::size_t size = std::min(kBlockSize, data_.size() - offset_);
        // The get area is only read (no putback of other characters is supported), so lending
        // it the const input is safe.
        char* begin = const_cast<char*>(data_.data()) + offset_;
        setg(begin, begin, begin + size);
        offset_ += size;
        return traits_type::to_int_type(*begin);
    }

private:
    static constexpr std::size_t kBlockSize = 4096;  // what POCO's ParserEngine reads per call

    std::string_view data_;
    const TreeBuilder& builder_;
    std::size_t offset_ = 0;
};

void runParser(std::string_view xml, TreeBuilder& builder) {
    StoppableInput buffer(xml, builder);
    std::istream stream(&buffer);
    Poco::XML::InputSource source(stream);
    Poco::XML::ParserEngine engine;
    engine.setNamespaceStrategy(new Poco::XML::NoNamespacesStrategy());  // names as written; engine owns it
    // No DTD gets this far; should one slip through, its entities are neither fetched nor
    // expanded in content.
    engine.setExternalGeneralEntities(false);
    engine.setExternalParameterEntities(false);
    engine.setExpandInternalEntities(false);
    engine.setContentHandler(&builder);
    engine.setLexicalHandler(&builder);
    engine.setDeclHandler(&builder);
    engine.setDTDHandler(&builder);
    engine.parse(&source);
}

void writeNode(XmlWriter& writer, const XmlNode& node) {
    if (node.kind == XmlNode::Kind::Text) {
        writer.text(node.text);
        return;
    }
    if (!XmlWriter::isValidName(node.name)) {
        // Let the writer record the misuse, and write nothing of the subtree: its attributes
        // would otherwise land in the parent's start tag.
        writer.startElement(node.name);
        return;
    }
    writer.startElement(node.name);
    for (const auto& [name, value] : node.attributes) writer.attribute(name, value);
    for (const XmlNode& child : node.children) writeNode(writer, child);
    writer.endElement();
}

void visitElements(XmlNode& node, const std::function<void(XmlNode&)>& visit) {
    if (node.kind != XmlNode::Kind::Element) return;
    visit(node);
    // Index, not iterator: `visit` may grow a child's own children, never this vector.
    for (std::size_t i = 0; i < node.children.size(); ++i) visitElements(node.children[i], visit);
}

}  // namespace

const XmlNode* XmlNode::child(std::string_view name) const noexcept {
    for (const XmlNode& c : children) {
        if (c.kind == Kind::Element && c.name == name) return &c;
    }
    return nullptr;
}

XmlNode* XmlNode::child(std::string_view name) noexcept {
    return const_cast<XmlNode*>(std::as_const(*this).child(name));
}

std::vector<const XmlNode*> XmlNode::childrenNamed(std::string_view name) const {
    std::vector<const XmlNode*> found;
    for (const XmlNode& c : children) {
        if (c.kind == Kind::Element && c.name == name) found.push_back(&c);
    }
    return found;
}

std::string XmlNode::textContent() const {
    std::string result;
    for (const XmlNode& c : children) {
        if (c.kind == Kind::Text) result += c.text;
    }
    return result;
}

std::optional<std::string> XmlNode::childText(std::string_view name) const {
    const XmlNode* found = child(name);
    if (found == nullptr) return std::nullopt;
    return found->textContent();
}

void XmlNode::setText(std::string newText) {
    children.clear();
    if (newText.empty()) return;
    XmlNode node;
    node.kind = Kind::Text;
    node.text = std::move(newText);
    children.push_back(std::move(node));
}

std::optional<XmlNode> parseXml(std::string_view xml, const XmlParseLimits& limits) {
    if (xml.size() > limits.max_bytes) return std::nullopt;
    if (xml.find('\0') != std::string_view::npos) return std::nullopt;
    if (prologHasDoctype(xml)) return std::nullopt;

    TreeBuilder builder(limits);
    try {
        runParser(xml, builder);
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const Poco::Exception&) {
        // Not well-formed, or the end of input came early because the builder stopped.
        if (builder.outOfMemory()) throw std::bad_alloc();
        return std::nullopt;
    } catch (const std::exception&) {
        if (builder.outOfMemory()) throw std::bad_alloc();
        return std::nullopt;
    }
    if (builder.outOfMemory()) throw std::bad_alloc();
    return builder.takeRoot();
}

void writeXml(XmlWriter& writer, const XmlNode& node) {
    writeNode(writer, node);
}

std::optional<std::string> toXml(const XmlNode& node) {
    XmlWriter writer;
    writeXml(writer, node);
    if (!writer.ok()) return std::nullopt;
    return writer.finish();
}

void forEachElement(XmlNode& root, const std::function<void(XmlNode&)>& visit) {
    visitElements(root, visit);
}

}  // namespace b3s::core::bbb
