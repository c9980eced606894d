public import Foundation

/// The smallest HTTP/1.1 client that webhooks need: one POST of a JSON body to an `http://` URL, reading only the
/// status line. Policies allow loopback and explicitly listed hosts only (the loader checks), so no TLS here.
///
/// - Important: The only code in MedLocal that opens a connection (OfflineTests pins that), and only to a URL a
///   policy named and the loader accepted.
public struct LoopbackHTTPClient: Sendable {
    public init() {}

    /// - Returns: the HTTP status code.
    public func post(_ url: String, body: Data, timeout: Duration) throws -> Int {
        guard let components = URLComponents(string: url), components.scheme == "http", let host = components.host else {
            throw InputError(.unreadable, "webhook url is not http://host[:port]/path")
        }
        let port = components.port ?? 80
        let path = (components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath)
            + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        let socket = try connect(host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port, timeout: timeout)
        defer { close(socket) }
        var request = Data("POST \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\nUser-Agent: medlocal\r\n\r\n".utf8)
        request.append(body)
        try request.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = send(socket, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                guard n > 0 else { throw InputError(.unwritable, "webhook \(host):\(port): the connection closed while sending") }
                sent += n
            }
        }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 512)
        while !response.contains(UInt8(ascii: "\n")) && response.count < 8192 {
            let n = recv(socket, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            response += buffer[0..<n]
        }
        let statusLine = String(decoding: response.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw InputError(.unreadable, "webhook \(host):\(port): no HTTP status in the answer")
        }
        return status
    }

    private func connect(host: String, port: Int, timeout: Duration) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw InputError(.unreadable, "webhook host \(host) cannot be resolved")
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
        throw InputError(.unreadable, "webhook \(host):\(port) refused the connection")
    }
}
