package dynamodb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/parleybot/parley/store/internal/sessionbody"
	"github.com/parleybot/parley/store/seal"
)

// Attribute names of a session item.
const (
	attrKey     = "pk"  // the session key, see itemKey
	attrVersion = "v"   // the stored version, a number
	attrSession = "s"   // the session as JSON (store/internal/sessionbody), a string
	attrExpires = "exp" // ExpiresAt in Unix nanoseconds; absent: never expires
	attrTTL     = "ttl" // ExpiresAt in epoch seconds, for DynamoDB's TTL
	attrWrite   = "w"   // a random id of the Put that wrote the item, see landed
)

// tableWait bounds how long Open waits for a table it created to become
// active; DynamoDB usually needs seconds, dynalite none.
const tableWait = 2 * time.Minute

// Options configures Open. The zero value is ready to use.
type Options struct {
	// Now is the clock that decides expiry; time.Now when nil.
	Now func() time.Time
	// Init creates the table when it is missing, as does init=true in the
	// URL. Without either, Open fails with a *MissingTableError.
	Init bool
	// Credentials replaces the default credential chain (environment,
	// shared files, instance roles); tests pass static ones.
	Credentials aws.CredentialsProvider
	// Logger receives notes on table creation; discarded when nil.
	Logger *slog.Logger
	// Keys, when set, seals every body written under its current key
	// (package store/seal); bodies already stored plain or under an older
	// key are still read and are re-sealed on their next write.
	Keys *seal.Keyring
}

// MissingTableError is Open's error when the table does not exist and
// creating it was not asked for. Its message says how to create it.
type MissingTableError struct {
	Table, Region string
}

func (e *MissingTableError) Error() string {
	region := ""
	if e.Region != "" {
		region = " --region " + e.Region
	}
	return fmt.Sprintf("dynamodb: table %q does not exist; start with --store-init (or add init=true to the store URL) to create it, or create it yourself: "+
		"aws dynamodb create-table --table-name %s --attribute-definitions AttributeName=%s,AttributeType=S --key-schema AttributeName=%s,KeyType=HASH --billing-mode PAY_PER_REQUEST%s && "+
		"aws dynamodb update-time-to-live --table-name %s --time-to-live-specification Enabled=true,AttributeName=%s%s",
		e.Table, e.Table, attrKey, attrKey, region, e.Table, attrTTL, region)
}

// Store keeps sessions in one DynamoDB table. It is safe for concurrent use,
// also by many processes sharing the table.
type Store struct {
	client *dynamodb.Client
	table  string
	now    func() time.Time
	codec  sessionbody.Codec
}

// Open connects to the table a dynamodb:// URL names (see ParseURL) and
// checks that it exists with the expected key, creating it when asked to.
func Open(ctx context.Context, rawURL string, opts Options) (*Store, error) {
	c, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	c.Init = c.Init || opts.Init
	var load []func(*config.LoadOptions) error
	if c.Region != "" {
		load = append(load, config.WithRegion(c.Region))
	}
	if opts.Credentials != nil {
		load = append(load, config.WithCredentialsProvider(opts.Credentials))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return nil, fmt.Errorf("dynamodb: load aws config: %w", err)
	}
	client := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if c.Endpoint != "" {
			o.BaseEndpoint = aws.String(c.Endpoint)
		}
	})
	s := &Store{client: client, table: c.Table, now: opts.Now, codec: sessionbody.Codec{Keys: opts.Keys}}
	if s.now == nil {
		s.now = time.Now
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := s.ensureTable(ctx, c, logger); err != nil {
		return nil, err
	}
	return s, nil
}

// ensureTable checks the table's key schema, or creates the table when it
// is missing and c.Init allows it.
func (s *Store) ensureTable(ctx context.Context, c Config, logger *slog.Logger) error {
	out, err := s.client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(s.table)})
	var missing *types.ResourceNotFoundException
	switch {
	case errors.As(err, &missing) && c.Init:
		return s.createTable(ctx, logger)
	case errors.As(err, &missing):
		return &MissingTableError{Table: s.table, Region: c.Region}
	case err != nil:
		return fmt.Errorf("dynamodb: describe table %s: %w", s.table, err)
	}
	keys := out.Table.KeySchema
	if len(keys) != 1 || aws.ToString(keys[0].AttributeName) != attrKey || keys[0].KeyType != types.KeyTypeHash {
		return fmt.Errorf("dynamodb: table %s: its key must be the single hash key %q (a string); it is not a Parley session table", s.table, attrKey)
	}
	return nil
}

func (s *Store) createTable(ctx context.Context, logger *slog.Logger) error {
	_, err := s.client.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(s.table),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String(attrKey), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String(attrKey), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	})
	var inUse *types.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) { // another instance may create it at the same time
		return fmt.Errorf("dynamodb: create table %s: %w", s.table, err)
	}
	if err := s.waitActive(ctx); err != nil {
		return err
	}
	logger.Info("dynamodb: created session table", "table", s.table)
	// Expiry is decided on every read from "exp", so TTL only reclaims
	// space; a backend without UpdateTimeToLive (dynalite) still works.
	_, err = s.client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(s.table),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String(attrTTL),
			Enabled:       aws.Bool(true),
		},
	})
	if err != nil {
		logger.Warn("dynamodb: could not enable TTL; expired sessions stay in the table until deleted", "table", s.table, "attribute", attrTTL, "err", err)
	}
	return nil
}

// waitActive polls until the table is ACTIVE. The SDK's waiter sleeps 20
// seconds before its second look, too long for dynalite and for tests.
func (s *Store) waitActive(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, tableWait)
	defer cancel()
	delay := 50 * time.Millisecond
	for {
		out, err := s.client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(s.table)})
		var missing *types.ResourceNotFoundException
		if err != nil && !errors.As(err, &missing) { // just created: may not be visible yet
			return fmt.Errorf("dynamodb: wait for table %s: %w", s.table, err)
		}
		if err == nil && out.Table.TableStatus == types.TableStatusActive {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("dynamodb: wait for table %s to become active: %w", s.table, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(2*delay, 2*time.Second)
	}
}

// Close releases nothing: the client holds only pooled connections, which
// idle out. It exists for the interface and may be called more than once.
func (s *Store) Close() error { return nil }
