// The composition root's order: parts start in the order they are added and stop in the
// reverse one — after a termination request and when a later part fails to start — and a part
// whose start fails is stopped and destroyed before the error reaches the caller.

#include "app/part.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace b3s::test {
namespace {

using core::app::Part;
using core::app::PartStack;
using core::app::StartupError;

using Journal = std::vector<std::string>;

class RecordingPart final : public Part {
public:
    RecordingPart(Journal& journal, std::string name, bool fail_start = false)
        : journal_(journal), name_(std::move(name)), fail_start_(fail_start) {
        journal_.push_back("build " + name_);
    }
    ~RecordingPart() override { journal_.push_back("destroy " + name_); }
    std::string_view name() const override { return name_; }
    void start() override {
        journal_.push_back("start " + name_);
        if (fail_start_) throw StartupError(78, "start_failed", {{"part", name_}});
    }
    void stop() noexcept override { journal_.push_back("stop " + name_); }

private:
    Journal& journal_;
    std::string name_;
    bool fail_start_;
};

// A part that cannot even be built (a store URL no connector takes, a busy port).
class UnbuildablePart final : public Part {
public:
    explicit UnbuildablePart(Journal& journal) {
        journal.push_back("build fails");
        throw StartupError(69, "build_failed", {});
    }
    std::string_view name() const override { return "unbuildable"; }
};

TEST(PartStack, StopsInTheReverseOfTheStartOrder) {
    Journal journal;
    {
        PartStack parts;
        auto& store = parts.start<RecordingPart>(journal, "store");
        parts.start<RecordingPart>(journal, "plugins");
        parts.start<RecordingPart>(journal, "http");
        EXPECT_EQ(store.name(), "store");
        EXPECT_EQ(parts.running(), (std::vector<std::string>{"store", "plugins", "http"}));
        parts.stopAll();
        EXPECT_TRUE(parts.running().empty());
        journal.push_back("stopped");
    }  // nothing is stopped twice
    EXPECT_EQ(journal, (Journal{"build store", "start store", "build plugins", "start plugins", "build http",
                                "start http", "stop http", "destroy http", "stop plugins", "destroy plugins",
                                "stop store", "destroy store", "stopped"}));
}

TEST(PartStack, AFailedStartStopsThatPartThenTheEarlierOnesInReverse) {
    Journal journal;
    try {
        PartStack parts;
        parts.start<RecordingPart>(journal, "store");
        parts.start<RecordingPart>(journal, "plugins");
        parts.start<RecordingPart>(journal, "http", /*fail_start=*/true);
        FAIL() << "the failed start must reach the caller";
    } catch (const StartupError& e) {
        EXPECT_EQ(e.exitCode(), 78);
        EXPECT_EQ(e.event(), "start_failed");
        ASSERT_EQ(e.fields().size(), 1u);
        EXPECT_EQ(e.fields()[0].second, "http");
    }
    EXPECT_EQ(journal,
              (Journal{"build store", "start store", "build plugins", "start plugins", "build http", "start http",
                       "stop http", "destroy http", "stop plugins", "destroy plugins", "stop store", "destroy store"}));
}

TEST(PartStack, APartThatCannotBeBuiltLeavesOnlyTheEarlierOnesToStop) {
    Journal journal;
    PartStack parts;
    parts.start<RecordingPart>(journal, "store");
    EXPECT_THROW(parts.start<UnbuildablePart>(journal), StartupError);
    EXPECT_EQ(parts.running(), std::vector<std::string>{"store"});
    parts.stopAll();
    EXPECT_EQ(journal, (Journal{"build store", "start store", "build fails", "stop store", "destroy store"}));
}

}  // namespace
}  // namespace b3s::test
