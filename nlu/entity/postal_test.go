package entity_test

import "testing"

func TestUKPostalCode(t *testing.T) {
	const P = "AMAZON.UKPostalCode"
	runCases(t, []tc{
		{P, "en_GB", "sw1a1aa", []string{"sw1a1aa=SW1A 1AA"}},
		{P, "en_GB", "SW1A 1AA", []string{"SW1A 1AA=SW1A 1AA"}},
		{P, "en_GB", "my postcode is ec1a 1bb", []string{"ec1a 1bb=EC1A 1BB"}},
		{P, "en_GB", "M1 1AE", []string{"M1 1AE=M1 1AE"}},
		{P, "en_GB", "B33 8TH", []string{"B33 8TH=B33 8TH"}},
		{P, "en_GB", "CR2 6XH", []string{"CR2 6XH=CR2 6XH"}},
		{P, "en_GB", "DN55 1PT", []string{"DN55 1PT=DN55 1PT"}},
		{P, "en_GB", "w1a0ax.", []string{"w1a0ax=W1A 0AX"}},
		{P, "en_GB", "it's L1 8JQ thanks", []string{"L1 8JQ=L1 8JQ"}},
		{P, "en_GB", "hello", nil},
		{P, "en_GB", "12345", nil},
		{P, "en_GB", "SW1A", nil},
		{P, "en_GB", "1AA SW1A", nil},
		// Lex has the type in en_GB only.
		{P, "en_US", "SW1A 1AA", nil},
		{P, "ko_KR", "SW1A 1AA", nil},
		{P, "zh_CN", "SW1A 1AA", nil},
	})
}
