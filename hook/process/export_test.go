package process

// ParseHeader exposes the frame header parser to the fuzz test.
func ParseHeader(line []byte) (kind, id string, size int, err error) {
	f, err := parseHeader(line)
	return f.Kind, f.ID, f.Size, err
}

// Decode exposes the response decoder to the fuzz test.
func (h *Hook) Decode(body []byte) error {
	_, err := h.decode("fuzz", body)
	return err
}
