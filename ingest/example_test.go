package ingest_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/rastro/rastro/ingest"
)

// A WhatsApp export read in the device's zone: the date order is settled
// from the whole file (here by the 13 in a first field) and times come out
// in UTC.
func ExampleParse() {
	chat := "12/03/2024, 21:14 - Alex Example: hi, new number is +44 7700 900123\n" +
		"13/03/2024, 09:00 - +44 7700 900456: ok\nsee you\n"
	zone := time.FixedZone("UTC-6", -6*3600)
	name := "WhatsApp Chat with Alex Example.txt"
	f := ingest.Detect(name, []byte(chat))
	rep, err := ingest.Parse(bytes.NewReader([]byte(chat)), name, f, ingest.Options{Zone: zone}, func(it ingest.Item) error {
		fmt.Printf("%s %s %q %q %q\n", it.Locator, it.Time.Format(time.RFC3339), it.Sender.Name, it.Sender.Phone, it.Text)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Format, rep.Items, rep.DayFirst, rep.DateOrderFrom)
	// Output:
	// line:1 2024-03-13T03:14:00Z "Alex Example" "" "hi, new number is +44 7700 900123"
	// line:2 2024-03-13T15:00:00Z "+44 7700 900456" "+447700900456" "ok\nsee you"
	// whatsapp 2 true fields
}
