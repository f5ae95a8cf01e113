#include "fake_bbb/xml_writer.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace b3s::test::bbb {
namespace {

TEST(XmlWriter, WritesOneElementPerLineLikeBbb) {
    XmlWriter w;
    w.open("response").text("returncode", "SUCCESS").boolean("running", false).number("n", -3).empty("meetings");
    w.open("attendees").close().close();
    EXPECT_EQ(w.finish(),
              "<response>\n<returncode>SUCCESS</returncode>\n<running>false</running>\n<n>-3</n>\n<meetings/>\n"
              "<attendees>\n</attendees>\n</response>");
}

TEST(XmlWriter, EscapesTextAndAttributes) {
    XmlWriter w;
    w.text("image", "a<b>&\"c'", {{"alt", "x\"y<"}});
    EXPECT_EQ(w.finish(), "<image alt=\"x&quot;y&lt;\">a&lt;b&gt;&amp;&quot;c&apos;</image>");
}

TEST(XmlWriter, DropsControlCharactersXmlCannotCarry) {
    EXPECT_EQ(XmlWriter::escape("a\x01"
                                "b\tc\n"),
              "ab\tc\n");
}

TEST(XmlWriter, RefusesBadNamesAndUnbalancedDocuments) {
    XmlWriter w;
    EXPECT_THROW(w.text("1abc", "x"), std::invalid_argument);
    EXPECT_THROW(w.open("a b"), std::invalid_argument);
    EXPECT_THROW(w.close(), std::logic_error);
    w.open("response");
    EXPECT_THROW(w.finish(), std::logic_error);
    EXPECT_FALSE(XmlWriter::isName("xmlfoo"));
    EXPECT_TRUE(XmlWriter::isName("bbb-origin-server-name"));
}

}  // namespace
}  // namespace b3s::test::bbb
