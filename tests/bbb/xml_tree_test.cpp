#include "bbb/xml_tree.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace b3s::core::bbb {
namespace {

std::string roundTrip(std::string_view xml, const XmlParseLimits& limits = {}) {
    const auto root = parseXml(xml, limits);
    if (!root) return "<parse failed>";
    const auto out = toXml(*root);
    return out ? *out : "<write failed>";
}

XmlNode element(std::string name) {
    XmlNode node;
    node.name = std::move(name);
    return node;
}

std::string nested(std::size_t depth) {
    std::string xml;
    for (std::size_t i = 0; i < depth; ++i) xml += "<a>";
    for (std::size_t i = 0; i < depth; ++i) xml += "</a>";
    return xml;
}

// bbb-web 2.x getMeetingInfo, pretty-printed as bbb-web sends it.
constexpr std::string_view kGetMeetingInfo = R"(<response>
  <returncode>SUCCESS</returncode>
  <meetingName>Physics &amp; Chemistry</meetingName>
  <meetingID>tenant1:room-42</meetingID>
  <internalMeetingID>8f3c1f5d2a9b-1700000000000</internalMeetingID>
  <createTime>1700000000000</createTime>
  <voiceBridge>70757</voiceBridge>
  <running>true</running>
  <participantCount>2</participantCount>
  <attendees>
    <attendee>
      <userID>w_ab12cd</userID>
      <fullName>Anna &lt;Teacher&gt;</fullName>
      <role>MODERATOR</role>
      <isPresenter>true</isPresenter>
      <customdata>
        <bbb_auto_share_webcam>false</bbb_auto_share_webcam>
      </customdata>
    </attendee>
    <attendee>
      <userID>w_ef34gh</userID>
      <fullName>Bob</fullName>
      <role>VIEWER</role>
      <isPresenter>false</isPresenter>
      <customdata></customdata>
    </attendee>
  </attendees>
  <metadata>
    <bbb-origin-server-name>lms.example.org</bbb-origin-server-name>
    <bbb-origin>Moodle</bbb-origin>
    <bbb-context></bbb-context>
  </metadata>
  <isBreakout>false</isBreakout>
  <breakoutRooms>
    <breakout>8f3c1f5d2a9b-1700000000001</breakout>
    <breakout>8f3c1f5d2a9b-1700000000002</breakout>
  </breakoutRooms>
</response>
)";

constexpr std::string_view kGetMeetings = R"(<response>
  <returncode>SUCCESS</returncode>
  <meetings>
    <meeting>
      <meetingName>Room A</meetingName>
      <meetingID>tenant1:a</meetingID>
      <running>true</running>
      <metadata>
        <bbb-origin>Greenlight</bbb-origin>
      </metadata>
    </meeting>
    <meeting>
      <meetingName>Room B</meetingName>
      <meetingID>tenant1:b</meetingID>
      <running>false</running>
      <metadata/>
    </meeting>
  </meetings>
</response>
)";

TEST(XmlTreeTest, PrettyPrintedAnswerComesBackCompact) {
    EXPECT_EQ(roundTrip("<response>\n  <returncode>SUCCESS</returncode>\n  <meetings>\n    <meeting>\n"
                        "      <meetingID>a&amp;b</meetingID>\n    </meeting>\n  </meetings>\n</response>\n"),
              "<response><returncode>SUCCESS</returncode><meetings><meeting><meetingID>a&amp;b</meetingID>"
              "</meeting></meetings></response>");
}

TEST(XmlTreeTest, GetMeetingInfoRoundTripsWithAttendeesMetadataAndBreakoutRooms) {
    const auto root = parseXml(kGetMeetingInfo);
    ASSERT_TRUE(root);
    EXPECT_EQ(toXml(*root),
              "<response><returncode>SUCCESS</returncode><meetingName>Physics &amp; Chemistry</meetingName>"
              "<meetingID>tenant1:room-42</meetingID><internalMeetingID>8f3c1f5d2a9b-1700000000000</internalMeetingID>"
              "<createTime>1700000000000</createTime><voiceBridge>70757</voiceBridge><running>true</running>"
              "<participantCount>2</participantCount><attendees>"
              "<attendee><userID>w_ab12cd</userID><fullName>Anna &lt;Teacher&gt;</fullName><role>MODERATOR</role>"
              "<isPresenter>true</isPresenter><customdata><bbb_auto_share_webcam>false</bbb_auto_share_webcam>"
              "</customdata></attendee>"
              "<attendee><userID>w_ef34gh</userID><fullName>Bob</fullName><role>VIEWER</role>"
              "<isPresenter>false</isPresenter><customdata/></attendee>"
              "</attendees><metadata><bbb-origin-server-name>lms.example.org</bbb-origin-server-name>"
              "<bbb-origin>Moodle</bbb-origin><bbb-context/></metadata><isBreakout>false</isBreakout>"
              "<breakoutRooms><breakout>8f3c1f5d2a9b-1700000000001</breakout>"
              "<breakout>8f3c1f5d2a9b-1700000000002</breakout></breakoutRooms></response>");

    EXPECT_EQ(root->name, "response");
    EXPECT_EQ(root->childText("meetingName"), "Physics & Chemistry");
    const XmlNode* attendees = root->child("attendees");
    ASSERT_NE(attendees, nullptr);
    const auto list = attendees->childrenNamed("attendee");
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0]->childText("fullName"), "Anna <Teacher>");
    EXPECT_EQ(list[1]->childText("role"), "VIEWER");
    ASSERT_NE(list[0]->child("customdata"), nullptr);
    EXPECT_EQ(list[0]->child("customdata")->childText("bbb_auto_share_webcam"), "false");
    EXPECT_TRUE(list[1]->child("customdata")->children.empty());
    const XmlNode* metadata = root->child("metadata");
    ASSERT_NE(metadata, nullptr);
    EXPECT_EQ(metadata->childText("bbb-origin-server-name"), "lms.example.org");
    EXPECT_EQ(metadata->childText("bbb-context"), "");
    EXPECT_EQ(root->child("breakoutRooms")->childrenNamed("breakout").size(), 2u);
}

TEST(XmlTreeTest, MeetingsOfGetMeetingsCanBeTakenOutAndReEmitted) {
    const auto root = parseXml(kGetMeetings);
    ASSERT_TRUE(root);
    const XmlNode* meetings = root->child("meetings");
    ASSERT_NE(meetings, nullptr);
    const auto list = meetings->childrenNamed("meeting");
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(toXml(*list[0]),
              "<meeting><meetingName>Room A</meetingName><meetingID>tenant1:a</meetingID><running>true</running>"
              "<metadata><bbb-origin>Greenlight</bbb-origin></metadata></meeting>");
    EXPECT_EQ(toXml(*list[1]),
              "<meeting><meetingName>Room B</meetingName><meetingID>tenant1:b</meetingID><running>false</running>"
              "<metadata/></meeting>");

    // Embedded in an answer the gateway writes itself.
    XmlWriter writer;
    writer.startElement("response").element("returncode", "SUCCESS").startElement("meetings");
    writeXml(writer, *list[1]);
    EXPECT_TRUE(writer.ok());
    EXPECT_EQ(writer.finish(),
              "<response><returncode>SUCCESS</returncode><meetings><meeting><meetingName>Room B</meetingName>"
              "<meetingID>tenant1:b</meetingID><running>false</running><metadata/></meeting></meetings></response>");
}

TEST(XmlTreeTest, IndexAnswerWithXmlDeclarationIsParsed) {
    EXPECT_EQ(roundTrip("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<response>\n"
                        "  <returncode>SUCCESS</returncode>\n  <version>2.0</version>\n"
                        "  <apiVersion>2.0</apiVersion>\n  <bbbVersion>2.7.3</bbbVersion>\n</response>\n"),
              "<response><returncode>SUCCESS</returncode><version>2.0</version><apiVersion>2.0</apiVersion>"
              "<bbbVersion>2.7.3</bbbVersion></response>");
    EXPECT_EQ(roundTrip("\xEF\xBB\xBF<?xml version=\"1.0\"?><response/>"), "<response/>");
}

TEST(XmlTreeTest, EntitiesAndCharacterReferencesAreDecodedAndReEscaped) {
    const auto root = parseXml("<m>&lt;b&gt; &amp; &quot;q&quot; &apos;s&apos; &#65;&#x42; &#x1F600; x&#13;y</m>");
    ASSERT_TRUE(root);
    EXPECT_EQ(root->textContent(), "<b> & \"q\" 's' AB \xF0\x9F\x98\x80 x\ry");
    ASSERT_EQ(root->children.size(), 1u);  // expat's pieces are merged into one text node
    EXPECT_EQ(toXml(*root), "<m>&lt;b&gt; &amp; &quot;q&quot; &apos;s&apos; AB \xF0\x9F\x98\x80 x&#13;y</m>");
}

TEST(XmlTreeTest, LineEndsAreNormalisedAsXmlRequires) {
    const auto root = parseXml("<m>a\r\nb\rc</m>");
    ASSERT_TRUE(root);
    EXPECT_EQ(root->textContent(), "a\nb\nc");
}

TEST(XmlTreeTest, CdataSectionBecomesOrdinaryText) {
    const auto root = parseXml("<m>a<![CDATA[<b>&amp;</b>]]>c</m>");
    ASSERT_TRUE(root);
    ASSERT_EQ(root->children.size(), 1u);
    EXPECT_EQ(root->children[0].kind, XmlNode::Kind::Text);
    EXPECT_EQ(root->textContent(), "a<b>&amp;</b>c");
    EXPECT_EQ(toXml(*root), "<m>a&lt;b&gt;&amp;amp;&lt;/b&gt;c</m>");
}

TEST(XmlTreeTest, AttributesKeepDocumentOrderAndDecodedValues) {
    const auto root = parseXml(R"(<a z="1" b='say "hi"' c="x &amp; y" d="&lt;&gt;" e="it's" f=""/>)");
    ASSERT_TRUE(root);
    const std::vector<std::pair<std::string, std::string>> expected = {{"z", "1"},  {"b", "say \"hi\""}, {"c", "x & y"},
                                                                       {"d", "<>"}, {"e", "it's"},       {"f", ""}};
    EXPECT_EQ(root->attributes, expected);
    EXPECT_TRUE(root->children.empty());
    EXPECT_EQ(toXml(*root), R"(<a z="1" b="say &quot;hi&quot;" c="x &amp; y" d="&lt;&gt;" e="it&apos;s" f=""/>)");
}

TEST(XmlTreeTest, AttributeWhitespaceIsNormalisedUnlessWrittenAsReference) {
    const auto root = parseXml("<a t=\"x&#10;y&#9;z\" u=\"x\ny\tz\"/>");
    ASSERT_TRUE(root);
    ASSERT_EQ(root->attributes.size(), 2u);
    EXPECT_EQ(root->attributes[0].second, "x\ny\tz");
    EXPECT_EQ(root->attributes[1].second, "x y z");
    EXPECT_EQ(toXml(*root), "<a t=\"x&#10;y&#9;z\" u=\"x y z\"/>");
}

TEST(XmlTreeTest, WhitespaceIsDroppedOnlyBetweenElements) {
    const auto root = parseXml(
        "<response>\n  <welcome>  hi  </welcome>\n  <blank>   </blank>\n  <multi>line one\n  line two\n</multi>\n"
        "  <mixed> a <b>x</b> c </mixed>\n  <pad>\n    <b/>\n  </pad>\n</response>");
    ASSERT_TRUE(root);
    EXPECT_EQ(root->children.size(), 5u);  // the indentation between them is gone
    EXPECT_EQ(root->childText("welcome"), "  hi  ");
    EXPECT_EQ(root->childText("blank"), "   ");  // a leaf keeps even whitespace-only text
    EXPECT_EQ(root->childText("multi"), "line one\n  line two\n");
    const XmlNode* mixed = root->child("mixed");
    ASSERT_NE(mixed, nullptr);
    ASSERT_EQ(mixed->children.size(), 3u);
    EXPECT_EQ(mixed->children[0].text, " a ");
    EXPECT_EQ(mixed->children[1].name, "b");
    EXPECT_EQ(mixed->children[2].text, " c ");
    EXPECT_EQ(mixed->textContent(), " a  c ");
    const XmlNode* pad = root->child("pad");
    ASSERT_NE(pad, nullptr);
    ASSERT_EQ(pad->children.size(), 1u);
    EXPECT_EQ(toXml(*root),
              "<response><welcome>  hi  </welcome><blank>   </blank><multi>line one\n  line two\n</multi>"
              "<mixed> a <b>x</b> c </mixed><pad><b/></pad></response>");
}

TEST(XmlTreeTest, CommentsAndProcessingInstructionsAreSkipped) {
    const auto root = parseXml(
        "<?xml version=\"1.0\"?>\n<!-- before -->\n<?app hint?>\n<r><!-- inside --><a>1<!-- mid -->2</a>"
        "<?php echo 1; ?></r>\n<!-- after -->\n<?tail?>\n");
    ASSERT_TRUE(root);
    ASSERT_EQ(root->children.size(), 1u);
    ASSERT_EQ(root->children[0].children.size(), 1u);  // "1" and "2" merge: the comment is not there
    EXPECT_EQ(toXml(*root), "<r><a>12</a></r>");
}

TEST(XmlTreeTest, EmptyElementsAreWrittenShort) {
    EXPECT_EQ(roundTrip("<a><b></b><c/><d>x</d></a>"), "<a><b/><c/><d>x</d></a>");
}

TEST(XmlTreeTest, NamesAreKeptAsWrittenWithoutNamespaceProcessing) {
    const auto root = parseXml(R"(<soap:Envelope xmlns:soap="urn:x"><soap:Body/><p:q a:b="1"/></soap:Envelope>)");
    ASSERT_TRUE(root);  // the undeclared prefixes p: and a: are fine: names are just names
    EXPECT_EQ(root->name, "soap:Envelope");
    ASSERT_EQ(root->attributes.size(), 1u);
    EXPECT_EQ(root->attributes[0].first, "xmlns:soap");
    EXPECT_NE(root->child("soap:Body"), nullptr);
    EXPECT_EQ(toXml(*root), R"(<soap:Envelope xmlns:soap="urn:x"><soap:Body/><p:q a:b="1"/></soap:Envelope>)");
}

TEST(XmlTreeTest, NonAsciiNamesAndTextSurviveTheRoundTrip) {
    const std::string xml = "<stra\u00DFe \u00E4=\"\u00F6\">\U0001F600</stra\u00DFe>";
    const auto root = parseXml(xml);
    ASSERT_TRUE(root);
    EXPECT_EQ(root->name, "stra\u00DFe");
    EXPECT_EQ(root->name.size(), 7u);  // UTF-8
    EXPECT_EQ(toXml(*root), xml);
}

TEST(XmlTreeTest, DeclaredLatin1DocumentComesOutAsUtf8) {
    const auto root = parseXml("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xE9</a>");
    ASSERT_TRUE(root);
    EXPECT_EQ(root->textContent(), "caf\xC3\xA9");
}

TEST(XmlTreeTest, MalformedInputIsRefused) {
    const std::vector<std::string_view> inputs = {
        "",
        "   \n",
        "not xml",
        "<a>",
        "<a",
        "<a><b></a>",
        "<a></b>",
        "<a><b></b>",
        "<a/><b/>",
        "<a/>text",
        "<a/>&amp;",
        "text<a/>",
        "<a x=\"1\" x=\"2\"/>",
        "<a x=1/>",
        "<a>&nbsp;</a>",
        "<a>&#0;</a>",
        "<a>&#xFFFE;</a>",
        "<a>& b</a>",
        "<a>a < b</a>",
        "<1bad/>",
        "<a><![CDATA[x</a>",
        "<a><!-- x </a>",
        "<a/><?xml version=\"1.0\"?>",
        "<a>\x01</a>",
    };
    for (const auto input : inputs) {
        SCOPED_TRACE(input);
        EXPECT_FALSE(parseXml(input));
    }
}

TEST(XmlTreeTest, InvalidUtf8IsRefusedWithoutCrashing) {
    const std::vector<std::string_view> inputs = {
        "<a>\xFF</a>",
        "<a>\xC3</a>",
        "<a>\xC0\xAF</a>",          // overlong '/'
        "<a>\xED\xA0\x80</a>",      // UTF-16 surrogate
        "<a>\xF4\x90\x80\x80</a>",  // beyond U+10FFFF
        "<\xFF/>",
        "<a x=\"\xFE\"/>",
        "<a>\xE2\x82",
    };
    for (const auto input : inputs) {
        SCOPED_TRACE(testing::PrintToString(std::string(input)));
        EXPECT_FALSE(parseXml(input));
    }
}

TEST(XmlTreeTest, DoctypeIsRefused) {
    std::string billionLaughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol0 \"lol\">\n";
    for (int i = 1; i <= 9; ++i) {
        billionLaughs += " <!ENTITY lol" + std::to_string(i) + " \"";
        for (int j = 0; j < 10; ++j) billionLaughs += "&lol" + std::to_string(i - 1) + ";";
        billionLaughs += "\">\n";
    }
    billionLaughs += "]>\n<lolz a=\"&lol9;\">&lol9;</lolz>\n";

    const std::vector<std::string> inputs = {
        "<!DOCTYPE r><r/>",
        "<!DOCTYPE r []><r/>",
        billionLaughs,
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><r>&xxe;</r>",
        "<!DOCTYPE r SYSTEM \"http://example.invalid/r.dtd\"><r/>",
        "<!DOCTYPE r PUBLIC \"-//X//Y//EN\" \"file:///etc/passwd\"><r/>",
        "<!DOCTYPE r [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><r/>",
        "<!DOCTYPE r [<!ENTITY e \"safe\">]><r>&e;</r>",
        "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c -->\n<?pi?>\n<!DOCTYPE r><r/>",
        "<r/><!DOCTYPE r>",
        "<r><!DOCTYPE r></r>",
    };
    for (const auto& input : inputs) {
        SCOPED_TRACE(input.substr(0, 80));
        EXPECT_FALSE(parseXml(input));
    }
    // An entity reference without any DTD is simply undefined.
    EXPECT_FALSE(parseXml("<r>&xxe;</r>"));
}

TEST(XmlTreeTest, DoctypeLookingTextIsNotADoctype) {
    EXPECT_EQ(roundTrip("<!-- <!DOCTYPE r> --><r><![CDATA[<!DOCTYPE html>]]></r>"), "<r>&lt;!DOCTYPE html&gt;</r>");
    EXPECT_EQ(roundTrip("<?pi <!DOCTYPE r>?><r>&lt;!DOCTYPE r&gt;</r>"), "<r>&lt;!DOCTYPE r&gt;</r>");
}

TEST(XmlTreeTest, Utf16DocumentsAreRefused) {
    // "<!DOCTYPE r><r/>" and "<r/>" in UTF-16LE with a byte order mark: expat would read
    // them, a byte scan for DOCTYPE would not. Refused for their NUL bytes.
    const std::string doctype("\xFF\xFE<\0!\0D\0O\0C\0T\0Y\0P\0E\0 \0r\0>\0<\0r\0/\0>\0", 34);
    const std::string plain("\xFF\xFE<\0r\0/\0>\0", 10);
    EXPECT_FALSE(parseXml(doctype));
    EXPECT_FALSE(parseXml(plain));
    EXPECT_FALSE(parseXml(std::string("<a>\0</a>", 8)));
}

TEST(XmlTreeTest, DepthLimitIsEnforced) {
    EXPECT_TRUE(parseXml(nested(64)));
    EXPECT_FALSE(parseXml(nested(65)));
    XmlParseLimits limits;
    limits.max_depth = 3;
    EXPECT_TRUE(parseXml("<a><b><c/></b></a>", limits));
    EXPECT_FALSE(parseXml("<a><b><c><d/></c></b></a>", limits));
    // A hostile depth is stopped early, long before anything could overflow a stack.
    EXPECT_FALSE(parseXml(nested(200'000)));
}

TEST(XmlTreeTest, NodeLimitIsEnforced) {
    XmlParseLimits limits;
    limits.max_nodes = 3;
    EXPECT_TRUE(parseXml("<a><b/><c/></a>", limits));
    EXPECT_FALSE(parseXml("<a><b/><c/><d/></a>", limits));
    EXPECT_TRUE(parseXml("<a>x<b/></a>", limits));              // text nodes count
    EXPECT_FALSE(parseXml("<a>\n <b/>\n <c/>\n</a>", limits));  // formatting counts before it is dropped
    EXPECT_FALSE(parseXml("<a x=\"1\">t<b/><c/></a>", limits));

    std::string many = "<r>";
    for (int i = 0; i < 100'000; ++i) many += "<m/>";
    many += "</r>";
    limits.max_nodes = 1'000;
    EXPECT_FALSE(parseXml(many, limits));
    limits.max_nodes = 100'001;
    const auto root = parseXml(many, limits);
    ASSERT_TRUE(root);
    EXPECT_EQ(root->children.size(), 100'000u);
}

TEST(XmlTreeTest, SizeLimitIsEnforced) {
    const std::string xml = "<response><returncode>SUCCESS</returncode></response>";
    XmlParseLimits limits;
    limits.max_bytes = xml.size();
    EXPECT_TRUE(parseXml(xml, limits));
    limits.max_bytes = xml.size() - 1;
    EXPECT_FALSE(parseXml(xml, limits));

    std::string big = "<r>";
    big.append(XmlParseLimits{}.max_bytes, 'x');
    big += "</r>";
    EXPECT_FALSE(parseXml(big));
}

TEST(XmlTreeTest, ChildFindsFirstElementOfThatName) {
    auto root = parseXml("<r>text<a>1</a><b/><a>2</a></r>");
    ASSERT_TRUE(root);
    ASSERT_NE(root->child("a"), nullptr);
    EXPECT_EQ(root->child("a")->textContent(), "1");
    EXPECT_EQ(root->child("missing"), nullptr);
    EXPECT_EQ(root->child(""), nullptr);  // text nodes have no name and are never found
    root->child("a")->setText("one");
    EXPECT_EQ(toXml(*root), "<r>text<a>one</a><b/><a>2</a></r>");
    const auto as = std::as_const(*root).childrenNamed("a");
    ASSERT_EQ(as.size(), 2u);
    EXPECT_EQ(as[1]->textContent(), "2");
    EXPECT_TRUE(root->childrenNamed("missing").empty());
}

TEST(XmlTreeTest, ChildTextDistinguishesEmptyFromMissing) {
    const auto root = parseXml("<r><a>x</a><b/><c><d>deep</d></c><e>1<f/>2</e></r>");
    ASSERT_TRUE(root);
    EXPECT_EQ(root->childText("a"), "x");
    EXPECT_EQ(root->childText("b"), "");
    EXPECT_EQ(root->childText("missing"), std::nullopt);
    EXPECT_EQ(root->childText("c"), "");  // only direct text, not descendants'
    EXPECT_EQ(root->childText("e"), "12");
    EXPECT_EQ(root->textContent(), "");
}

TEST(XmlTreeTest, SetTextReplacesAllChildren) {
    auto root = parseXml("<r><a>x</a>tail<b/></r>");
    ASSERT_TRUE(root);
    root->setText("a < b");
    ASSERT_EQ(root->children.size(), 1u);
    EXPECT_EQ(root->children[0].kind, XmlNode::Kind::Text);
    EXPECT_EQ(toXml(*root), "<r>a &lt; b</r>");
    root->setText("");
    EXPECT_TRUE(root->children.empty());
    EXPECT_EQ(toXml(*root), "<r/>");
}

TEST(XmlTreeTest, ForEachElementRewritesEveryMeetingId) {
    auto root = parseXml(kGetMeetings);
    ASSERT_TRUE(root);
    forEachElement(*root, [](XmlNode& node) {
        if (node.name == "meetingID") {
            const std::string id = node.textContent();
            node.setText(id.substr(id.find(':') + 1) + " & co");
        }
    });
    EXPECT_EQ(toXml(*root),
              "<response><returncode>SUCCESS</returncode><meetings>"
              "<meeting><meetingName>Room A</meetingName><meetingID>a &amp; co</meetingID><running>true</running>"
              "<metadata><bbb-origin>Greenlight</bbb-origin></metadata></meeting>"
              "<meeting><meetingName>Room B</meetingName><meetingID>b &amp; co</meetingID><running>false</running>"
              "<metadata/></meeting></meetings></response>");
}

TEST(XmlTreeTest, ForEachElementVisitsElementsInPreOrder) {
    auto root = parseXml("<r>t<a><b/>u<c/></a><d/></r>");
    ASSERT_TRUE(root);
    std::vector<std::string> seen;
    forEachElement(*root, [&](XmlNode& node) { seen.push_back(node.name); });
    EXPECT_EQ(seen, (std::vector<std::string>{"r", "a", "b", "c", "d"}));

    // The visitor sees a node before its children: what it removes is not visited, what it
    // adds is.
    seen.clear();
    forEachElement(*root, [&](XmlNode& node) {
        seen.push_back(node.name);
        if (node.name == "a") node.setText("gone");
        if (node.name == "d") node.children.push_back(element("added"));
    });
    EXPECT_EQ(seen, (std::vector<std::string>{"r", "a", "d", "added"}));
    EXPECT_EQ(toXml(*root), "<r>t<a>gone</a><d><added/></d></r>");
}

TEST(XmlTreeTest, HandBuiltNodeWithInvalidNameIsNotWritten) {
    EXPECT_EQ(toXml(element("1bad")), std::nullopt);

    XmlNode root = element("response");
    XmlNode bad = element("1bad");
    bad.attributes.emplace_back("x", "1");
    root.children.push_back(bad);
    EXPECT_EQ(toXml(root), std::nullopt);

    XmlWriter writer;
    writeXml(writer, root);
    EXPECT_FALSE(writer.ok());
    EXPECT_EQ(writer.finish(), "<response/>");  // nothing of the bad subtree, not even its attribute

    XmlNode badAttribute = element("a");
    badAttribute.attributes.emplace_back("bad name", "1");
    EXPECT_EQ(toXml(badAttribute), std::nullopt);

    XmlNode text;
    text.kind = XmlNode::Kind::Text;
    text.text = "loose";
    EXPECT_EQ(toXml(text), std::nullopt);  // text outside an element is not a document

    XmlNode good = element("meeting");
    good.attributes.emplace_back("id", "a\"b");
    good.setText("x & y");
    EXPECT_EQ(toXml(good), "<meeting id=\"a&quot;b\">x &amp; y</meeting>");
}

}  // namespace
}  // namespace b3s::core::bbb
