import CLibz

/// Raw deflate (no zlib header), as the Deflated Explicit VR Little Endian transfer syntax stores the dataset.
enum Deflate {
    /// Inflates at most `limit` bytes; throws when the stream is damaged or would expand beyond the limit.
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int, offset: Int) throws(DICOMError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DICOMError(.malformed, "cannot start the deflate decoder", offset: offset)
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = Z_OK
        var input = Array(input)
        let inputCount = input.count
        try input.withUnsafeMutableBufferPointer { (inputBuffer) throws(DICOMError) in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputCount)
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { buffer -> Int in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    status = CLibz.inflate(&stream, Z_NO_FLUSH)
                    return buffer.count - Int(stream.avail_out)
                }
                if status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR {
                    throw DICOMError(.malformed, "the deflated dataset is damaged", offset: offset)
                }
                output += chunk[0..<produced]
                if output.count > limit {
                    throw DICOMError(.tooLarge, "the deflated dataset expands beyond \(limit >> 20) MiB", offset: offset)
                }
                if produced == 0 && status == Z_BUF_ERROR { break }
            } while status != Z_STREAM_END
        }
        return output
    }

    static func deflate(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = input
        let count = input.count
        input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(count)
            var status: Int32 = Z_OK
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { buffer -> Int in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    status = CLibz.deflate(&stream, Z_FINISH)
                    return buffer.count - Int(stream.avail_out)
                }
                output += chunk[0..<produced]
            } while status == Z_OK
        }
        return output
    }
}
