package dynamodb_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/dynamodb"
	"github.com/parleybot/parley/store/seal"
	"github.com/parleybot/parley/store/seal/sealtest"
)

// sealBackend is one table, opened by the stores under test and read raw
// through a client of its own.
type sealBackend struct {
	url, table string
	client     *awsdynamodb.Client
}

func newSealBackend(t *testing.T) sealtest.Backend {
	endpoint := needDynalite(t)
	table := newTable()
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion("us-east-1"), config.WithCredentialsProvider(testCreds))
	if err != nil {
		t.Fatal(err)
	}
	client := awsdynamodb.NewFromConfig(cfg, func(o *awsdynamodb.Options) { o.BaseEndpoint = aws.String(endpoint) })
	return &sealBackend{url: storeURL(endpoint, table, "&init=true"), table: table, client: client}
}

func (b *sealBackend) Open(t *testing.T, now func() time.Time, keys *seal.Keyring) parley.SessionStore {
	s, err := dynamodb.Open(context.Background(), b.url, dynamodb.Options{Now: now, Credentials: testCreds, Keys: keys})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

// itemKey is the store's partition key: the four parts path-escaped and
// joined with "/".
func itemKey(k parley.SessionKey) map[string]types.AttributeValue {
	parts := []string{k.BotID, k.AliasID, k.LocaleID, k.SessionID}
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: strings.Join(parts, "/")}}
}

func (b *sealBackend) Raw(t *testing.T, k parley.SessionKey) []byte {
	t.Helper()
	out, err := b.client.GetItem(context.Background(), &awsdynamodb.GetItemInput{TableName: aws.String(b.table), Key: itemKey(k), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatalf("read raw body: %v", err)
	}
	body, ok := out.Item["s"].(*types.AttributeValueMemberS)
	if !ok {
		t.Fatalf("read raw body: item %v has no string attribute s", out.Item)
	}
	return []byte(body.Value)
}

func (b *sealBackend) SetRaw(t *testing.T, k parley.SessionKey, body []byte) {
	t.Helper()
	_, err := b.client.UpdateItem(context.Background(), &awsdynamodb.UpdateItemInput{
		TableName:                 aws.String(b.table),
		Key:                       itemKey(k),
		UpdateExpression:          aws.String("SET s = :b"),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":b": &types.AttributeValueMemberS{Value: string(body)}},
	})
	if err != nil {
		t.Fatalf("write raw body: %v", err)
	}
}

func TestEncrypted(t *testing.T) {
	sealtest.Run(t, newSealBackend)
}
