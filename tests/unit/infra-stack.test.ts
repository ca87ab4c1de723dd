import { HeadersHandler } from '@netlify/headers';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { edgeFunctionCode, FUNCTION_CODE_LIMIT, needsKeyValueStore, parseRedirects, type RedirectRule } from '../../infra/edge-function';
import { adminHeaders, siteHeaders } from '../../infra/site-rules';
import { MastheadSiteStack } from '../../infra/stack';
import { MANIFEST_KEY } from '../../scripts/lib/publish-plan';
import {
  ADMIN_CSP,
  CACHE_CONTROL,
  adminRules,
  cacheClassOf,
  cacheRules,
  renderHeaders,
  securityHeaders,
} from '../../src/integrations/host-files/policy';

const CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const RULES: RedirectRule[] = [{ from: '/old-story/', to: '/news/2026/07/10/new-story/', status: 301 }];

// A `_headers` as the host-files writer renders it for S3 (Netlify's dialect), for a site with the editor.
const DIST = mkdtempSync(join(tmpdir(), 'masthead-infra-'));
afterAll(() => rmSync(DIST, { recursive: true, force: true }));
const FILES = ['index.html', 'news/2026/07/10/new-story/index.html', '_astro/app.Bx1.css', 'admin/index.html', 'admin/decap-cms.js'];
const HEADERS_FILE = join(DIST, '_headers');
writeFileSync(
  HEADERS_FILE,
  renderHeaders(
    [{ path: '/*', headers: securityHeaders(CSP) }, ...cacheRules(FILES, (f) => cacheClassOf(f, ['_astro/'])), ...adminRules(FILES)],
    's3',
  ),
);
const SITE_HEADERS = await siteHeaders(HEADERS_FILE);
const ADMIN_HEADERS = await adminHeaders(HEADERS_FILE);

function synth(props: Partial<ConstructorParameters<typeof MastheadSiteStack>[2]> = {}) {
  const app = new App();
  const stack = new MastheadSiteStack(app, 'Test', {
    repository: 'kxpr/newsroom',
    securityHeaders: SITE_HEADERS,
    adminHeaders: ADMIN_HEADERS,
    redirects: RULES,
    previewDomain: 'preview.news.example.org',
    env: { account: '123456789012', region: 'us-east-1' },
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
}

/** Every statement of a role's inline policies, by the role's logical id prefix. */
function statementsOf(template: Template, rolePrefix: string) {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref.startsWith(rolePrefix)))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown; Condition?: unknown }[]);
}
const actions = (s: { Action: string | string[] }) => [s.Action].flat().sort();

describe('the S3 + CloudFront stack', { timeout: 30_000 }, () => {
  const { template } = synth();

  it('keeps the bucket private, versioned, encrypted and TLS-only', () => {
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    // No website configuration: the bucket is read through S3's API by CloudFront alone.
    expect(JSON.stringify(template.findResources('AWS::S3::Bucket'))).not.toContain('WebsiteConfiguration');
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  });

  it('lets only this distribution read the bucket, through Origin Access Control', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Action: 's3:GetObject',
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('serves HTTP/2 and HTTP/3 over HTTPS with the certificate and host names given as parameters', () => {
    template.hasParameter('CertificateArn', { Type: 'String' });
    template.hasParameter('DomainNames', { Type: 'CommaDelimitedList' });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        HttpVersion: 'http2and3',
        Aliases: { Ref: 'DomainNames' },
        ViewerCertificate: {
          AcmCertificateArn: { Ref: 'CertificateArn' },
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true }),
        CustomErrorResponses: [
          { ErrorCode: 403, ResponseCode: 404, ResponsePagePath: '/404.html', ErrorCachingMinTTL: 60 },
          { ErrorCode: 404, ResponseCode: 404, ResponsePagePath: '/404.html', ErrorCachingMinTTL: 60 },
        ],
      }),
    });
  });

  it('runs the edge function on viewer requests and responses of every behaviour', () => {
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
      AutoPublish: true,
    });
    const config = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.FunctionAssociations.map((f: { EventType: string }) => f.EventType)).toEqual(['viewer-request', 'viewer-response']);
    }
    expect(config.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern)).toEqual(['/_astro/*', '/admin/*']);
  });

  it('gives /admin/* its own behaviour, with the headers the written _headers gives there', async () => {
    const config = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    const admin = config.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/admin/*');
    const policies = template.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    const adminPolicyId = Object.keys(policies).find((id) => id.startsWith('AdminHeaders'))!;
    expect(admin.ResponseHeadersPolicyId).toEqual({ Ref: adminPolicyId });
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).not.toEqual({ Ref: adminPolicyId });
    // Pages' cache policy, like the default behaviour: the editor's files keep their names across upgrades.
    expect(admin.CachePolicyId).toEqual(config.DefaultCacheBehavior.CachePolicyId);

    // What Netlify's engine serves on /admin/ from the same file, header for header.
    const engine = new HeadersHandler({ projectDir: DIST, publishDir: '.', logger: console });
    const served = await engine.apply(new Request('https://news.example.org/admin/'));
    const policy = policies[adminPolicyId]!.Properties.ResponseHeadersPolicyConfig;
    const sent: Record<string, string> = {
      'Content-Security-Policy': policy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy,
      'Referrer-Policy': policy.SecurityHeadersConfig.ReferrerPolicy.ReferrerPolicy,
      'Strict-Transport-Security': `max-age=${policy.SecurityHeadersConfig.StrictTransportSecurity.AccessControlMaxAgeSec}; includeSubDomains`,
      ...(policy.SecurityHeadersConfig.ContentTypeOptions.Override ? { 'X-Content-Type-Options': 'nosniff' } : {}),
      ...Object.fromEntries(policy.CustomHeadersConfig.Items.map((i: { Header: string; Value: string }) => [i.Header, i.Value])),
    };
    const { 'Cache-Control': _cache, ...expected } = served;
    expect(sent).toEqual(expected);
    expect(sent['Content-Security-Policy']).toBe(ADMIN_CSP);
    expect(sent['X-Robots-Tag']).toBe('noindex, nofollow');
    expect(sent['Cross-Origin-Opener-Policy']).toBe('same-origin-allow-popups');
  });

  it('gives /admin/* no behaviour when the build has no editor', () => {
    const { template: t } = synth({ adminHeaders: undefined });
    const config = Object.values(t.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    expect(config.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern)).toEqual(['/_astro/*']);
    t.resourceCountIs('AWS::CloudFront::ResponseHeadersPolicy', 1);
  });

  it('takes its cache TTLs from the Cache-Control classes that write _headers', () => {
    const ttl = (cc: string) => Number(/max-age=(\d+)/.exec(cc)![1]);
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({ DefaultTTL: ttl(CACHE_CONTROL.revalidate), MinTTL: 0, MaxTTL: ttl(CACHE_CONTROL.immutable) }),
    });
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({ DefaultTTL: ttl(CACHE_CONTROL.immutable) }),
    });
  });

  it('sends the security headers of _headers from a response headers policy', () => {
    const custom = securityHeaders(CSP).filter(([n]) => ['Permissions-Policy', 'Cross-Origin-Opener-Policy'].includes(n));
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: CSP, Override: true },
          ContentTypeOptions: { Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true, Preload: false, Override: true },
        },
        CustomHeadersConfig: { Items: custom.map(([Header, Value]) => ({ Header, Value, Override: true })) },
      }),
    });
  });

  it('trusts GitHub’s OIDC tokens for this repository’s protected environments only', () => {
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
    for (const env of ['production', 'preview']) {
      template.hasResourceProperties('AWS::IAM::Role', {
        MaxSessionDuration: 3600,
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: {
                  'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                  'token.actions.githubusercontent.com:sub': `repo:kxpr/newsroom:environment:${env}`,
                },
              },
            }),
          ],
        },
      });
    }
  });

  it('gives the publishing role put and delete on the bucket, the manifest to read, invalidation of this distribution, and nothing else', () => {
    const statements = statementsOf(template, 'PublishRole');
    expect(statements.map(actions)).toEqual([
      ['s3:DeleteObject', 's3:PutObject'],
      ['s3:GetObject'],
      ['s3:ListBucket'],
      ['cloudfront:CreateInvalidation'],
      ['cloudfront:GetResponseHeadersPolicyConfig', 'cloudfront:UpdateResponseHeadersPolicy'],
      ['cloudfront:DescribeFunction', 'cloudfront:PublishFunction', 'cloudfront:UpdateFunction'],
    ]);
    expect(JSON.stringify(statements[1]!.Resource)).toContain(`/${MANIFEST_KEY}`);
    expect(statements[2]!.Condition).toEqual({ StringEquals: { 's3:prefix': MANIFEST_KEY } });
    expect(JSON.stringify(statements[3]!.Resource)).toMatch(/distribution\/",\{"Ref":"Cdn/);
    // No wildcard actions or resources anywhere.
    for (const s of statements) {
      expect(actions(s).some((a) => a.includes('*'))).toBe(false);
      expect(s.Resource).not.toBe('*');
    }
  });

  it('confines the preview role to previews/', () => {
    const statements = statementsOf(template, 'PreviewRole');
    expect(statements.map(actions)).toEqual([['s3:DeleteObject', 's3:GetObject', 's3:PutObject'], ['s3:ListBucket']]);
    expect(JSON.stringify(statements[0]!.Resource)).toMatch(/\/previews\/\*"\]\]\}$/);
    expect(statements[1]!.Condition).toEqual({ StringLike: { 's3:prefix': 'previews/*' } });
  });

  it('reuses an existing GitHub OIDC provider instead of creating a second one', () => {
    const { template: t } = synth({ githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' });
    t.resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });

  it('moves the redirects to a KeyValueStore when they outgrow a function', { timeout: 60_000 }, () => {
    template.resourceCountIs('AWS::CloudFront::KeyValueStore', 0);
    const many = Array.from({ length: 400 }, (_, i) => ({
      from: `/old/story-number-${i}/`,
      to: `/news/2026/01/01/story-number-${i}/`,
      status: 301,
    }));
    expect(needsKeyValueStore({ rules: many })).toBe(true);
    const { template: t } = synth({ redirects: many });
    t.resourceCountIs('AWS::CloudFront::KeyValueStore', 1);
    const fn = Object.values(t.findResources('AWS::CloudFront::Function'))[0]!.Properties;
    expect(fn.FunctionConfig.KeyValueStoreAssociations).toHaveLength(1);
    expect(JSON.stringify(fn.FunctionCode).length).toBeLessThan(FUNCTION_CODE_LIMIT);
  });

  it('refuses a repository that is not owner/name', () => {
    expect(() => synth({ repository: 'kxpr' })).toThrow(/owner\/name/);
  });
});

/** The function as CloudFront runs it on a viewer request for `uri` on `host`. */
export function viewerRequest(code: string, uri: string, host = 'news.example.org', querystring: Record<string, { value: string }> = {}) {
  const handler = runInNewContext(`${code}\nhandler;`) as (e: unknown) => Record<string, unknown>;
  return handler({
    context: { eventType: 'viewer-request' },
    request: { method: 'GET', uri, querystring, headers: { host: { value: host } }, cookies: {} },
  });
}

describe('the edge function', () => {
  const code = edgeFunctionCode({ rules: RULES, previewDomain: 'preview.news.example.org' });

  it('serves directory paths from their index.html and leaves files alone', () => {
    expect(viewerRequest(code, '/').uri).toBe('/index.html');
    expect(viewerRequest(code, '/news/2026/07/10/new-story/').uri).toBe('/news/2026/07/10/new-story/index.html');
    expect(viewerRequest(code, '/_astro/app.Bx1.css').uri).toBe('/_astro/app.Bx1.css');
  });

  it('adds the trailing slash a directory path lacks, keeping the query', () => {
    expect(viewerRequest(code, '/topics/water', 'news.example.org', { page: { value: '2' } })).toMatchObject({
      statusCode: 301,
      headers: { location: { value: '/topics/water/?page=2' } },
    });
  });

  it('answers _redirects rules with their status', () => {
    expect(viewerRequest(code, '/old-story/')).toMatchObject({
      statusCode: 301,
      headers: { location: { value: '/news/2026/07/10/new-story/' } },
    });
  });

  it('serves pr-<n>.<preview domain> from previews/pr-<n>/, refuses other names there, and marks previews noindex', () => {
    expect(viewerRequest(code, '/news/x/', 'pr-12.preview.news.example.org').uri).toBe('/previews/pr-12/news/x/index.html');
    expect(viewerRequest(code, '/', 'evil.preview.news.example.org')).toMatchObject({ statusCode: 404 });
    expect(viewerRequest(code, '/', 'news.example.org').uri).toBe('/index.html');
    const handler = runInNewContext(`${code}\nhandler;`) as (e: unknown) => { headers: Record<string, { value: string }> };
    const respond = (host: string) =>
      handler({
        context: { eventType: 'viewer-response' },
        request: { uri: '/', headers: { host: { value: host } } },
        response: { statusCode: 200, headers: {} },
      });
    expect(respond('pr-12.preview.news.example.org').headers['x-robots-tag']).toEqual({ value: 'noindex' });
    expect(respond('news.example.org').headers['x-robots-tag']).toBeUndefined();
  });

  it('reads `from to 301` lines and refuses rules it cannot serve', () => {
    expect(parseRedirects('# c\n\n/a/ /b/ 301\n/c /d/ 301!\n')).toEqual([
      { from: '/a/', to: '/b/', status: 301 },
      { from: '/c', to: '/d/', status: 301 },
    ]);
    expect(() => parseRedirects('/a/* /b/:splat 200\n')).toThrow(/_redirects:1: .* is not a "from to 301" rule/);
  });
});
