#include "bbb/xml_writer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace b3s::core::bbb {
namespace {

TEST(XmlWriterTest, EscapesTextAndAttributes) {
    struct Case {
        std::string_view name;
        std::string input;
        std::string_view text;
        std::string_view attribute;
    };
    const std::vector<Case> cases = {
        {"plain", "Room 1", "Room 1", "Room 1"},
        {"markup", R"(<a href="x">&'</a>)", "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;",
         "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"},
        {"entity-looking text", "&amp;", "&amp;amp;", "&amp;amp;"},
        {"newline and tab", "a\nb\tc", "a\nb\tc", "a&#10;b&#9;c"},
        {"carriage return", "a\r\nb", "a&#13;\nb", "a&#13;&#10;b"},
        {"other controls",
         std::string("a\x01"
                     "b\x1f"
                     "c\0d",
                     7),
         "a\xEF\xBF\xBD"
         "b\xEF\xBF\xBD"
         "c\xEF\xBF\xBD"
         "d",
         "a\xEF\xBF\xBD"
         "b\xEF\xBF\xBD"
         "c\xEF\xBF\xBD"
         "d"},
        {"DEL is legal XML", "a\x7f", "a\x7f", "a\x7f"},
        {"valid UTF-8", "\xC3\x9C \xF0\x9F\x98\x80", "\xC3\x9C \xF0\x9F\x98\x80", "\xC3\x9C \xF0\x9F\x98\x80"},
        {"invalid UTF-8 byte",
         "a\xFF"
         "b",
         "a\xEF\xBF\xBD"
         "b",
         "a\xEF\xBF\xBD"
         "b"},
        {"truncated sequence", "a\xE2\x82", "a\xEF\xBF\xBD\xEF\xBF\xBD", "a\xEF\xBF\xBD\xEF\xBF\xBD"},
        {"noncharacters U+FFFE U+FFFF", "\xEF\xBF\xBE\xEF\xBF\xBF", "\xEF\xBF\xBD\xEF\xBF\xBD",
         "\xEF\xBF\xBD\xEF\xBF\xBD"},
        {"U+FFFD itself", "\xEF\xBF\xBD", "\xEF\xBF\xBD", "\xEF\xBF\xBD"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        std::string text;
        XmlWriter::appendEscapedText(text, c.input);
        EXPECT_EQ(text, c.text);
        std::string attribute;
        XmlWriter::appendEscapedAttribute(attribute, c.input);
        EXPECT_EQ(attribute, c.attribute);
    }
}

TEST(XmlWriterTest, WritesNestedElementsAttributesAndEmptyElements) {
    XmlWriter xml;
    xml.startElement("response");
    xml.element("returncode", "SUCCESS");
    xml.startElement("recordings");
    xml.startElement("recording");
    xml.element("name", "A & B");
    xml.startElement("image").attribute("width", "176").attribute("alt", "\"x\"").text("https://h/i.png").endElement();
    xml.startElement("metadata").endElement();
    xml.element("empty", "");
    xml.endElement();
    xml.endElement();
    EXPECT_EQ(xml.depth(), 1u);
    EXPECT_TRUE(xml.ok());
    EXPECT_EQ(xml.finish(),
              "<response><returncode>SUCCESS</returncode><recordings><recording><name>A &amp; B</name>"
              "<image width=\"176\" alt=\"&quot;x&quot;\">https://h/i.png</image><metadata/><empty></empty>"
              "</recording></recordings></response>");
    EXPECT_EQ(xml.depth(), 0u);
    EXPECT_TRUE(xml.str().empty());
}

TEST(XmlWriterTest, RawXmlIsInsertedVerbatim) {
    XmlWriter xml;
    xml.startElement("meetings").rawXml("<meeting><meetingID>a</meetingID></meeting>").rawXml("<meeting/>");
    EXPECT_EQ(xml.finish(), "<meetings><meeting><meetingID>a</meetingID></meeting><meeting/></meetings>");
}

TEST(XmlWriterTest, MisuseIsRecordedNotThrown) {
    struct Case {
        std::string_view name;
        void (*act)(XmlWriter&);
    };
    const std::vector<Case> cases = {
        {"invalid element name", [](XmlWriter& x) { x.startElement("1abc"); }},
        {"invalid leaf name", [](XmlWriter& x) { x.element("a b", "x"); }},
        {"empty name", [](XmlWriter& x) { x.startElement(""); }},
        {"invalid attribute name", [](XmlWriter& x) { x.startElement("a").attribute("x=y", "1"); }},
        {"attribute after content", [](XmlWriter& x) { x.startElement("a").text("t").attribute("b", "1"); }},
        {"end without start", [](XmlWriter& x) { x.endElement(); }},
        {"text outside root", [](XmlWriter& x) { x.text("t"); }},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        XmlWriter xml;
        c.act(xml);
        EXPECT_FALSE(xml.ok());
    }
}

TEST(XmlWriterTest, ValidatesNamesByTheXmlSpec) {
    for (std::string_view good : {"a", "returncode", "meta_bbb-origin", "x.y", "_a", "ns:tag", "\xC3\xA4pfel", "A1-"}) {
        SCOPED_TRACE(good);
        EXPECT_TRUE(XmlWriter::isValidName(good));
    }
    for (std::string_view bad :
         {"", "1a", "-a", ".a", "a b", "a<b", "a&b", "a\"", "a/b", "a=b", "\xFF", "a\xC3", "a\xE2\x80\xA8"}) {
        SCOPED_TRACE(bad);
        EXPECT_FALSE(XmlWriter::isValidName(bad));
    }
}

}  // namespace
}  // namespace b3s::core::bbb
