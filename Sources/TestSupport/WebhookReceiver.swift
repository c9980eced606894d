public import Foundation
import Synchronization

/// A local HTTP receiver for webhook tests: answers every request 200 and keeps the bodies.
public final class WebhookReceiver: Sendable {
    public let port: UInt16
    private let socket: Int32
    private let bodies = Mutex<[String]>([])

    public init() throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        socket = fd
        port = UInt16(bigEndian: address.sin_port)
        let listener = fd
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                var request = [UInt8]()
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let n = recv(client, &buffer, buffer.count, 0)
                    guard n > 0 else { break }
                    request += buffer[0..<n]
                    let text = String(decoding: request, as: UTF8.self)
                    if let split = text.range(of: "\r\n\r\n"), let lengthLine = text.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") }),
                       let length = Int(lengthLine.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)),
                       text[split.upperBound...].utf8.count >= length {
                        bodies.withLock { $0.append(String(text[split.upperBound...])) }
                        break
                    }
                }
                let answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                _ = answer.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                close(client)
            }
        }
    }

    public var received: [String] { bodies.withLock { $0 } }

    public func stop() { shutdown(socket, Int32(SHUT_RDWR)); close(socket) }
}
