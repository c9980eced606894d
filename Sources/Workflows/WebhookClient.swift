public import Foundation

/// The smallest HTTP/1.1 client MedLocal needs, over `http://` only: webhook POSTs (to loopback or hosts a policy
/// lists — the loader checks) and the image-model client's requests to the one server its user names.
///
/// - Important: The only code in MedLocal that opens a connection (OfflineTests pins that), and only to a URL a
///   policy named or a `--server` the user gave.
public struct LoopbackHTTPClient: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: Data
    }

    /// Bodies larger than this are refused (a model bundle is about 20 MB).
    public var maximumResponseBytes = 512 << 20

    public init() {}

    /// - Returns: the HTTP status code.
    public func post(_ url: String, body: Data, timeout: Duration) throws -> Int {
        try send("POST", url, headers: ["Content-Type": "application/json"], body: body, timeout: timeout, readBody: false).status
    }

    /// One request; the response's body is read to its Content-Length (or to the end of the connection).
    public func send(_ method: String, _ url: String, headers: [String: String] = [:], body: Data? = nil, timeout: Duration,
                     readBody: Bool = true) throws -> Response {
        guard let components = URLComponents(string: url), components.scheme == "http", let host = components.host else {
            throw InputError(.unreadable, "\(url) is not an http://host[:port]/path URL")
        }
        let port = components.port ?? 80
        let path = (components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath)
            + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        let socket = try connect(host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port, timeout: timeout)
        defer { close(socket) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nUser-Agent: medlocal\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        var request = Data((head + "\r\n").utf8)
        if let body { request.append(body) }
        try request.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = Glibc.send(socket, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                guard n > 0 else { throw InputError(.unwritable, "\(host):\(port): the connection closed while sending") }
                sent += n
            }
        }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var headerEnd: Int?
        var expected: Int?
        while true {
            if let end = headerEnd, !readBody || (expected.map { response.count - end >= $0 } ?? false) { break }
            let n = recv(socket, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            response += buffer[0..<n]
            guard response.count <= maximumResponseBytes else { throw InputError(.tooLarge, "\(host):\(port): the answer is larger than \(maximumResponseBytes >> 20) MiB") }
            if headerEnd == nil, let range = Self.find([13, 10, 13, 10], in: response) {
                headerEnd = range
                expected = Self.contentLength(String(decoding: response[..<range], as: UTF8.self))
            }
            if headerEnd == nil, !readBody, response.contains(UInt8(ascii: "\n")) { break }
        }
        let headText = String(decoding: response[..<(headerEnd ?? response.count)], as: UTF8.self)
        let lines = headText.components(separatedBy: "\r\n")
        let parts = (lines.first ?? "").split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw InputError(.unreadable, "\(host):\(port): no HTTP status in the answer")
        }
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let bodyStart = (headerEnd ?? response.count) + (headerEnd == nil ? 0 : 4)
        return Response(status: status, headers: fields, body: Data(response[min(bodyStart, response.count)...]))
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] && Array(haystack[i..<i + needle.count]) == needle { return i }
        return nil
    }

    static func contentLength(_ head: String) -> Int? {
        for line in head.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            return Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    private func connect(host: String, port: Int, timeout: Duration) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw InputError(.unreadable, "host \(host) cannot be resolved")
        }
        defer { freeaddrinfo(list) }
        var seconds = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if fd >= 0 {
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
                if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
                close(fd)
            }
            entry = info.pointee.ai_next
        }
        throw InputError(.unreadable, "\(host):\(port) refused the connection")
    }
}
