import Foundation
import Glibc

/// A W3C WebDriver session on Debian's chromedriver driving headless Chromium: plain JSON over HTTP on loopback,
/// so the browser test needs nothing beyond the two Debian packages `make deps` installs.
final class WebDriver: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }

    private let driver: Process
    private let base: URL
    private var session = ""
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    /// Starts chromedriver on a free loopback port and opens a headless browser window of `width`×`height`.
    init(width: Int = 1440, height: Int = 1000, profile: URL) async throws {
        guard let chromedriver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first(where: FileManager.default.isExecutableFile) else {
            throw Failure(description: "chromedriver is not installed (make deps installs Debian's chromium-driver)")
        }
        let port = Int.random(in: 20_000...60_000)
        driver = Process()
        driver.executableURL = URL(fileURLWithPath: chromedriver)
        driver.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        base = URL(string: "http://127.0.0.1:\(port)")!
        let deadline = Date().addingTimeInterval(20)
        while (try? await call("GET", "status"))?["ready"] as? Bool != true {
            guard Date() < deadline, driver.isRunning else { driver.terminate(); throw Failure(description: "chromedriver did not start") }
            try await Task.sleep(for: .milliseconds(100))
        }
        // No network beyond loopback is wanted: every background service of the browser is switched off.
        let arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=\(width),\(height)",
                         "--user-data-dir=\(profile.path)", "--no-first-run", "--disable-background-networking", "--disable-sync",
                         "--disable-component-update", "--disable-default-apps", "--disable-extensions", "--lang=en-US",
                         "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost"]
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": ["binary": "/usr/bin/chromium", "args": arguments],
        ]]]
        let value = try await call("POST", "session", capabilities)
        guard let id = value["sessionId"] as? String else { driver.terminate(); throw Failure(description: "no session: \(value)") }
        session = id
    }

    /// Closes the browser and stops chromedriver (polled, not `waitUntilExit`, which can deadlock in async code).
    func quit() async {
        _ = try? await call("DELETE", "session/\(session)")
        let pid = driver.processIdentifier
        kill(pid, SIGTERM)
        for _ in 0..<20 where driver.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
        kill(pid, SIGKILL)   // a chromedriver still alive keeps the test process from exiting
    }

    func open(_ url: URL) async throws { _ = try await call("POST", "session/\(session)/url", ["url": url.absoluteString]) }

    /// The first element matching a CSS selector, waiting up to `timeout` for it to appear.
    func element(_ selector: String, timeout: TimeInterval = 30) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let value = try? await call("POST", "session/\(session)/element", ["using": "css selector", "value": selector]),
               let id = value[Self.elementKey] as? String { return id }
            guard Date() < deadline else { throw Failure(description: "no element \(selector) after \(Int(timeout)) s; page: \(try await text("body").prefix(500))") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    func type(_ text: String, into selector: String) async throws {
        let id = try await element(selector)
        _ = try await call("POST", "session/\(session)/element/\(id)/value", ["text": text])
    }

    /// Clicks the first element matching `selector`. A page that re-renders between finding and clicking (a job list
    /// refreshing itself) leaves a stale element: it is found again, a few times, before that is a failure.
    func click(_ selector: String) async throws {
        for attempt in 1...5 {
            let id = try await element(selector)
            do {
                _ = try await call("POST", "session/\(session)/element/\(id)/click", [:])
                return
            } catch let failure as Failure where failure.description.contains("stale element") && attempt < 5 {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Runs a script in the page and returns its result.
    func run(_ script: String) async throws -> Any? {
        let data = try await raw("POST", "session/\(session)/execute/sync", ["script": script, "args": []])
        return data
    }

    func text(_ selector: String) async throws -> String {
        try await run("const e = document.querySelector(\(Self.quoted(selector))); return e ? e.innerText : ''") as? String ?? ""
    }

    /// Waits until `script` returns true in the page.
    func waitUntil(_ script: String, timeout: TimeInterval = 60, _ what: String) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try await run(script) as? Bool != true {
            guard Date() < deadline else { throw Failure(description: "timed out waiting for \(what); page: \(try await text("body").prefix(800))") }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Saves a PNG of the window.
    func screenshot(to url: URL) async throws {
        guard let encoded = try await raw("GET", "session/\(session)/screenshot") as? String, let data = Data(base64Encoded: encoded) else {
            throw Failure(description: "no screenshot")
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast().description
    }

    private func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        try await raw(method, path, body) as? [String: Any] ?? [:]
    }

    private func raw(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let port = base.port ?? 0
        let (status, data) = try await Task.detached { try LoopbackHTTP.exchange(port: port, method: method, path: "/" + path, body: payload) }.value
        let object = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any]
        if status >= 400 {
            throw Failure(description: "WebDriver \(method) \(path): \(status) \((object?["value"] as? [String: Any])?["message"] ?? "")")
        }
        return object?["value"]
    }
}

/// One HTTP/1.1 exchange over a plain loopback socket. chromedriver writes header lines without a space after
/// the colon, which URLSession on Linux refuses ("Failed writing header"), so the test speaks HTTP itself.
enum LoopbackHTTP {
    static func exchange(port: Int, method: String, path: String, body: Data?) throws -> (status: Int, body: Data) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw WebDriver.Failure(description: "no socket") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var connected: Int32 = -1
        for attempt in 0..<5 where connected != 0 {   // retried: a signal (a child exiting) can interrupt connect
            if attempt > 0 { usleep(100_000) }
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard connected == 0 else { throw WebDriver.Failure(description: "cannot connect to 127.0.0.1:\(port) (errno \(errno))") }
        var request = Data("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n".utf8)
        if let body { request += Data("Content-Type: application/json\r\nContent-Length: \(body.count)\r\n".utf8) }
        request += Data("\r\n".utf8)
        if let body { request += body }
        try request.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let n = send(socket, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                guard n > 0 else { throw WebDriver.Failure(description: "send failed") }
                sent += n
            }
        }
        var response = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(socket, &chunk, chunk.count, 0)
            if n <= 0 { break }
            response.append(contentsOf: chunk[0..<n])
            if let complete = complete(response) { return complete }
        }
        return complete(response, final: true) ?? (0, Data())
    }

    /// The status and body once the response holds its whole body (by Content-Length, or at the end of the stream).
    private static func complete(_ response: Data, final: Bool = false) -> (status: Int, body: Data)? {
        guard let end = response.range(of: Data("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: response[..<end.lowerBound], as: UTF8.self).split(separator: "\r\n")
        let status = head.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        let length = head.dropFirst().first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)) }
        let body = response[end.upperBound...]
        if let length { return body.count >= length ? (status, Data(body.prefix(length))) : nil }
        return final ? (status, Data(body)) : nil
    }
}
