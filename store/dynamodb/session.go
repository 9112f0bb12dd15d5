package dynamodb

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/parleybot/parley"
	"github.com/parleybot/parley/store/internal/sessionbody"
)

var _ parley.SessionStore = (*Store)(nil)

// Get returns the stored session, or ErrNotFound when there is none or it
// has expired. Reads are strongly consistent so that a turn on another
// instance sees the version the last turn wrote.
func (s *Store) Get(ctx context.Context, key parley.SessionKey) (*parley.Session, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            itemKey(key),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("dynamodb: get session %s: %w", sessionbody.Describe(key), err)
	}
	if out.Item == nil || s.expired(out.Item) {
		return nil, sessionbody.NotFound(key)
	}
	version, err := number(out.Item, attrVersion)
	if err != nil {
		return nil, fmt.Errorf("dynamodb: get session %s: %w", sessionbody.Describe(key), err)
	}
	body, ok := out.Item[attrSession].(*types.AttributeValueMemberS)
	if !ok {
		return nil, fmt.Errorf("dynamodb: get session %s: attribute %s is missing or not a string", sessionbody.Describe(key), attrSession)
	}
	sess, err := s.codec.DecodeStored([]byte(body.Value), key, version)
	if err != nil {
		return nil, fmt.Errorf("dynamodb: get session %s: decode: %w", sessionbody.Describe(key), err)
	}
	return sess, nil
}

// Put stores sess when sess.Version is the stored version (0 for a session
// that is absent or expired) and then sets sess.Version to the new version;
// otherwise it returns ErrConflict and stores nothing. The check and the
// write are one conditional PutItem, so no lock and no transaction is needed.
func (s *Store) Put(ctx context.Context, sess *parley.Session) error {
	if sess == nil {
		return parley.Errorf(parley.ErrValidation, "session is nil")
	}
	nextVersion := sess.Version + 1
	body, err := s.codec.EncodeNext(sess)
	if err != nil {
		return fmt.Errorf("dynamodb: put session %s: encode: %w", sessionbody.Describe(sess.Key), err)
	}
	item := itemKey(sess.Key)
	item[attrVersion] = numberValue(nextVersion)
	item[attrSession] = &types.AttributeValueMemberS{Value: string(body)}
	writeID := rand.Text()
	item[attrWrite] = &types.AttributeValueMemberS{Value: writeID}
	if !sess.ExpiresAt.IsZero() {
		item[attrExpires] = numberValue(sessionbody.UnixNano(sess.ExpiresAt))
		item[attrTTL] = numberValue(sess.ExpiresAt.Unix())
	}
	values := map[string]types.AttributeValue{":now": numberValue(sessionbody.UnixNano(s.now()))}
	names := map[string]string{"#e": attrExpires}
	var cond string
	if sess.Version == 0 {
		// New, or replacing one that has expired: that counts as absent.
		cond = "attribute_not_exists(#k) OR (attribute_exists(#e) AND #e <= :now)"
		names["#k"] = attrKey
	} else {
		cond = "#v = :v AND (attribute_not_exists(#e) OR #e > :now)"
		names["#v"] = attrVersion
		values[":v"] = numberValue(sess.Version)
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 aws.String(s.table),
		Item:                      item,
		ConditionExpression:       aws.String(cond),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
	})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		landed, rerr := s.landed(ctx, sess.Key, writeID)
		if rerr != nil {
			return fmt.Errorf("dynamodb: put session %s: %w", sessionbody.Describe(sess.Key), rerr)
		}
		if !landed {
			return parley.Errorf(parley.ErrConflict, "session %s was changed concurrently (version %d is not the stored version)", sess.Key.SessionID, sess.Version)
		}
		err = nil
	}
	if err != nil {
		return fmt.Errorf("dynamodb: put session %s: %w", sessionbody.Describe(sess.Key), err)
	}
	sess.Version = nextVersion
	return nil
}

// landed reports whether the stored item is the one this Put wrote. The
// SDK retries a PutItem whose answer was lost (a dropped connection, a
// 5xx); when the first attempt had been applied, the retry fails its own
// condition, and without this check a turn that was stored would be
// reported as a conflict. Each Put tags its item with a random write id,
// which the SDK's retries send again: neither the version nor the body
// tells two writers apart, as both may write the same content.
func (s *Store) landed(ctx context.Context, key parley.SessionKey, writeID string) (bool, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            itemKey(key),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return false, err
	}
	got, ok := out.Item[attrWrite].(*types.AttributeValueMemberS)
	return ok && got.Value == writeID, nil
}

// Delete removes the session; ErrNotFound when there is none or it has
// expired. An expired item is removed all the same.
func (s *Store) Delete(ctx context.Context, key parley.SessionKey) error {
	out, err := s.client.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:    aws.String(s.table),
		Key:          itemKey(key),
		ReturnValues: types.ReturnValueAllOld,
	})
	if err != nil {
		return fmt.Errorf("dynamodb: delete session %s: %w", sessionbody.Describe(key), err)
	}
	if len(out.Attributes) == 0 || s.expired(out.Attributes) {
		return sessionbody.NotFound(key)
	}
	return nil
}

// expired reports whether an item's exp has passed. An item without a
// readable exp never expires.
func (s *Store) expired(item map[string]types.AttributeValue) bool {
	if _, ok := item[attrExpires]; !ok {
		return false
	}
	exp, err := number(item, attrExpires)
	return err == nil && exp <= sessionbody.UnixNano(s.now())
}

// itemKey is the primary key of a session: its four parts path-escaped and
// joined with "/", so that no two keys share an item and the value stays
// readable in the console.
func itemKey(k parley.SessionKey) map[string]types.AttributeValue {
	parts := []string{k.BotID, k.AliasID, k.LocaleID, k.SessionID}
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return map[string]types.AttributeValue{attrKey: &types.AttributeValueMemberS{Value: strings.Join(parts, "/")}}
}

func numberValue(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

func number(item map[string]types.AttributeValue, name string) (int64, error) {
	n, ok := item[name].(*types.AttributeValueMemberN)
	if !ok {
		return 0, fmt.Errorf("attribute %s is missing or not a number", name)
	}
	v, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("attribute %s: %w", name, err)
	}
	return v, nil
}
