#include "text_table.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace b3s::ctl {
namespace {

TEST(TextTable, ColumnsAreAsWideAsTheirWidestCell) {
    TextTable table({{"HOST"}, {"MEETINGS", TextTable::Align::Right}, {"LAST ERROR"}});
    table.addRow({"https://a.example.org/", "3", ""});
    table.addRow({"https://bb.example.org/", "12", "timeout"});
    std::ostringstream out;
    table.write(out);
    EXPECT_EQ(out.str(),
              "HOST                     MEETINGS  LAST ERROR\n"
              "https://a.example.org/          3\n"
              "https://bb.example.org/        12  timeout\n");
}

TEST(TextTable, WidthCountsCodePoints) {
    TextTable table({{"NAME"}, {"X"}});
    table.addRow({"Größe", "1"});
    table.addRow({"abcdef", "2"});
    std::ostringstream out;
    table.write(out);
    EXPECT_EQ(out.str(), "NAME    X\nGröße   1\nabcdef  2\n");
}

TEST(TextTable, ShortenCutsWithAnEllipsis) {
    EXPECT_EQ(shorten("short", 10), "short");
    EXPECT_EQ(shorten("0123456789abc", 10), "012345678…");
    EXPECT_EQ(displayWidth(shorten("äääääääääääää", 5)), 5u);
    EXPECT_EQ(shorten("a\nb", 10), "a b");
}

TEST(TextTable, DetailsAlignValuesAndIndentContinuationLines) {
    std::ostringstream out;
    writeDetails(out, {{"ID", "1"}, {"Settings", "{\n  \"a\": 1\n}\n"}});
    EXPECT_EQ(out.str(),
              "ID:        1\n"
              "Settings:  {\n"
              "             \"a\": 1\n"
              "           }\n");
}

}  // namespace
}  // namespace b3s::ctl
