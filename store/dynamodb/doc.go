// Package dynamodb is the parley.SessionStore on Amazon DynamoDB, through
// aws-sdk-go-v2, for many Parley instances (or Parley as a Lambda function)
// sharing one table. It owns the table layout (one item per session under a
// string partition key "pk"), the dynamodb://TABLE?region=…&endpoint=… URL,
// and opt-in table creation. Optimistic versioning is a single-item
// conditional write on the version attribute "v", with no transactions, so
// it also runs against dynalite. The session itself is one JSON string
// attribute, in the body format the networked stores share. Expiry is kept
// twice: "exp" in Unix nanoseconds decides on every read and write, because
// DynamoDB's own TTL deletes lazily, and "ttl" in epoch seconds lets
// DynamoDB reclaim the item eventually.
package dynamodb
