// Does the time of a BBB API answer tell whether a frontend key exists? A scanner sends calls
// with made-up checksums, once with a key that exists and once with one that does not, and
// compares how long the `checksumError` takes. This program does exactly that against the real
// ingress behind the real HTTP server on loopback (no database: the tenant directory is a map),
// alternating the two kinds on one keep-alive connection so drift falls on both, and prints
// the median (and p10/p90) of each. Not a test: nothing here asserts a threshold.
//
//   build/bin/b3s_bench_key_timing [requests per kind, default 20000]

#include "bbb/bbb_response.hpp"
#include "bbb/checksum.hpp"
#include "config/core_settings.hpp"
#include "gateway/bbb_ingress.hpp"
#include "http/http_server.hpp"
#include "http/router.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace b3s::core;

class OneTenant final : public gateway::FrontendDirectory {
public:
    OneTenant() {
        entry_->frontend.id = "bench";
        entry_->frontend.key = "known-tenant";
        entry_->frontend.secret = "a-frontend-secret-of-forty-characters-xx";
    }
    std::shared_ptr<const gateway::FrontendEntry> findByKey(std::string_view key) const override {
        return key == entry_->frontend.key ? entry_ : nullptr;
    }

private:
    std::shared_ptr<gateway::FrontendEntry> entry_ = std::make_shared<gateway::FrontendEntry>();
};

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
    const int per_kind = argc > 1 ? std::atoi(argv[1]) : 20000;
    OneTenant directory;
    gateway::BbbIngress ingress(directory, {});
    ingress.on("getMeetings", {"GET"}, [](const gateway::BbbCall&) { return gateway::BbbAnswer::xml("<response/>"); });
    Poco::SharedPtr<http::Router> router(new http::Router);
    router->addPrefix({"GET"}, "/bbb/", [&](auto& request, auto& response) { ingress.handle(request, response); });
    config::CoreSettings settings;
    settings.listen = {"127.0.0.1", 0};
    http::HttpServer server(settings, router);
    server.start();

    // A checksum of the right length and form that is nobody's: what a scanner sends.
    const std::string checksum = bbb::signQuery("getMeetings", "", "a guess", bbb::ChecksumAlgorithm::Sha256);
    const std::string known = "/bbb/known-tenant/bigbluebutton/api/getMeetings?checksum=" + checksum;
    const std::string unknown = "/bbb/other-tenant/bigbluebutton/api/getMeetings?checksum=" + checksum;

    Poco::Net::HTTPClientSession session("127.0.0.1", server.boundAddress().port);
    session.setKeepAlive(true);
    auto once = [&](const std::string& uri) {
        Poco::Net::HTTPRequest request("GET", uri, Poco::Net::HTTPMessage::HTTP_1_1);
        request.setKeepAlive(true);
        const auto start = std::chrono::steady_clock::now();
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::string body;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
        const auto took = std::chrono::steady_clock::now() - start;
        if (body.find("checksumError") == std::string::npos) {
            std::fprintf(stderr, "unexpected answer: %s\n", body.c_str());
            std::exit(1);
        }
        return std::chrono::duration<double, std::micro>(took).count();
    };
    for (int i = 0; i < 2000; ++i) once(i % 2 ? known : unknown);  // warm-up

    std::vector<double> known_us, unknown_us;
    for (int i = 0; i < per_kind; ++i) {
        // ABBA: neither kind always goes first.
        if (i % 2 == 0) {
            known_us.push_back(once(known));
            unknown_us.push_back(once(unknown));
        } else {
            unknown_us.push_back(once(unknown));
            known_us.push_back(once(known));
        }
    }
    server.shutdown(std::chrono::seconds(1));
    std::printf("requests per kind: %d (checksumError over loopback, one keep-alive connection)\n", per_kind);
    std::printf("known key:   median %.1f us  p10 %.1f  p90 %.1f\n", percentile(known_us, 0.5),
                percentile(known_us, 0.1), percentile(known_us, 0.9));
    std::printf("unknown key: median %.1f us  p10 %.1f  p90 %.1f\n", percentile(unknown_us, 0.5),
                percentile(unknown_us, 0.1), percentile(unknown_us, 0.9));
    std::printf("difference of medians (known - unknown): %.2f us\n",
                percentile(known_us, 0.5) - percentile(unknown_us, 0.5));
    return 0;
}
