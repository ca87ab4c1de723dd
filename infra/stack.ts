import {
  aws_certificatemanager as acm,
  aws_cloudfront as cloudfront,
  aws_cloudfront_origins as origins,
  aws_iam as iam,
  aws_s3 as s3,
  CfnOutput,
  CfnParameter,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CACHE_CONTROL } from '../src/integrations/host-files/policy.ts';
import { MANIFEST_KEY } from '../scripts/lib/publish-plan.ts';
import { edgeFunctionCode, keyValueStoreData, needsKeyValueStore, type RedirectRule } from './edge-function.ts';

export interface MastheadSiteProps extends StackProps {
  /** `owner/name` of the GitHub repository whose workflows may publish. */
  repository: string;
  /** The `/*` headers of a built site's `_headers` (`securityHeaders()` in policy.ts). */
  securityHeaders: [name: string, value: string][];
  /**
   * What `_headers` gives a response under /admin/ (the web editor: its own CSP, noindex, a COOP
   * its sign-in popup survives; `adminHeaders()` in site-rules.ts). Given, `/admin/*` gets a
   * behaviour with these headers; left out (a build without the editor), it gets none.
   */
  adminHeaders?: [name: string, value: string][] | undefined;
  /** The `_redirects` rules of a built site; `npm run publish:s3` keeps them current afterwards. */
  redirects: RedirectRule[];
  /** `preview.news.example.org`: `pr-<n>.<previewDomain>` serves the preview of pull request n. */
  previewDomain?: string;
  /** An account has one GitHub OIDC provider; pass its ARN when it already exists. */
  githubOidcProviderArn?: string;
}

/** `max-age` of a Cache-Control value from policy.ts, so CloudFront's TTLs follow `_headers`. */
export function maxAge(cacheControl: string): Duration {
  const m = /max-age=(\d+)/.exec(cacheControl);
  if (!m) throw new Error(`no max-age in "${cacheControl}"`);
  return Duration.seconds(Number(m[1]));
}

const REFERRER_POLICIES = new Map(Object.values(cloudfront.HeadersReferrerPolicy).map((p) => [String(p), p]));

/** The `_headers` security headers as a CloudFront response headers policy's configuration. */
export function responseHeaders(
  headers: [string, string][],
  comment = 'Security headers of dist/_headers; npm run publish:s3 keeps the CSP current',
): cloudfront.ResponseHeadersPolicyProps {
  const get = (name: string) => headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
  const csp = get('Content-Security-Policy');
  const hsts = get('Strict-Transport-Security');
  const referrer = get('Referrer-Policy');
  const security = new Set(['content-security-policy', 'strict-transport-security', 'x-content-type-options', 'referrer-policy']);
  return {
    comment,
    securityHeadersBehavior: {
      ...(csp ? { contentSecurityPolicy: { contentSecurityPolicy: csp, override: true } } : {}),
      ...(get('X-Content-Type-Options') ? { contentTypeOptions: { override: true } } : {}),
      ...(referrer
        ? {
            referrerPolicy: {
              referrerPolicy:
                REFERRER_POLICIES.get(referrer) ??
                (() => {
                  throw new Error(`Referrer-Policy "${referrer}" is not one CloudFront supports`);
                })(),
              override: true,
            },
          }
        : {}),
      ...(hsts
        ? {
            strictTransportSecurity: {
              accessControlMaxAge: maxAge(hsts),
              includeSubdomains: /includeSubDomains/i.test(hsts),
              preload: /preload/i.test(hsts),
              override: true,
            },
          }
        : {}),
    },
    customHeadersBehavior: {
      customHeaders: headers.filter(([n]) => !security.has(n.toLowerCase())).map(([header, value]) => ({ header, value, override: true })),
    },
  };
}

/**
 * A Masthead site on AWS: a private, versioned S3 bucket read by CloudFront through Origin
 * Access Control; a distribution on HTTP/2 and HTTP/3 with the newsroom's certificate; a
 * CloudFront Function for directory indexes, `_redirects` and previews; cache and response
 * headers policies derived from the rules that write `_headers`; and the roles GitHub Actions
 * assume through OpenID Connect to publish (production) and to deploy previews.
 */
export class MastheadSiteStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly publishRole: iam.Role;
  readonly previewRole: iam.Role;

  constructor(scope: Construct, id: string, props: MastheadSiteProps) {
    super(scope, id, props);
    if (!/^[\w.-]+\/[\w.-]+$/.test(props.repository)) throw new Error(`repository must be owner/name, got "${props.repository}"`);

    const certificateArn = new CfnParameter(this, 'CertificateArn', {
      type: 'String',
      description: 'ARN of an ACM certificate in us-east-1 covering DomainNames (and *.<preview domain> for previews)',
      allowedPattern: '^arn:aws[\\w-]*:acm:us-east-1:\\d{12}:certificate/[\\w-]+$',
      constraintDescription: 'an ACM certificate ARN in us-east-1 (CloudFront reads certificates only from there)',
    });
    const domainNames = new CfnParameter(this, 'DomainNames', {
      type: 'CommaDelimitedList',
      description: 'The site’s host names, e.g. news.example.org (and *.preview.news.example.org for previews)',
    });

    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // A bad publish can be rolled back object by object; old versions expire.
      versioned: true,
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Previews of merged or closed pull requests.
        { prefix: 'previews/', expiration: Duration.days(30) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const edgeOptions = { rules: props.redirects, previewDomain: props.previewDomain };
    const store = needsKeyValueStore(edgeOptions)
      ? new cloudfront.KeyValueStore(this, 'Redirects', { source: cloudfront.ImportSource.fromInline(keyValueStoreData(props.redirects)) })
      : undefined;
    const edge = new cloudfront.Function(this, 'Edge', {
      comment: 'Directory indexes, _redirects and previews (infra/edge-function.ts)',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(edgeFunctionCode({ ...edgeOptions, keyValueStoreId: store?.keyValueStoreId })),
      ...(store ? { keyValueStore: store } : {}),
    });

    // Objects carry the Cache-Control of `_headers` (publish:s3 sets it per file); CloudFront
    // honours it, falling back to the same classes when a header is missing.
    const cachePolicy = (name: string, cacheControl: string) =>
      new cloudfront.CachePolicy(this, name, {
        comment: `Cache-Control "${cacheControl}" (src/integrations/host-files/policy.ts)`,
        defaultTtl: maxAge(cacheControl),
        minTtl: Duration.seconds(0),
        maxTtl: maxAge(CACHE_CONTROL.immutable),
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
        queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
        headerBehavior: cloudfront.CacheHeaderBehavior.none(),
        cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      });
    const pages = cachePolicy('PagesCache', CACHE_CONTROL.revalidate);
    const assets = cachePolicy('HashedAssetsCache', CACHE_CONTROL.immutable);
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', responseHeaders(props.securityHeaders));
    // The web editor's headers replace the site's under /admin/ (a behaviour has one policy; the
    // values are those `_headers` gives there). They change only with the code: `cdk deploy`.
    const admin =
      props.adminHeaders &&
      new cloudfront.ResponseHeadersPolicy(
        this,
        'AdminHeaders',
        responseHeaders(props.adminHeaders, 'Headers of /admin/* in dist/_headers (the web editor): its own CSP, noindex, COOP'),
      );

    const origin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const functionAssociations = [
      { function: edge, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
      { function: edge, eventType: cloudfront.FunctionEventType.VIEWER_RESPONSE },
    ];
    const behavior = (cachePolicyOf: cloudfront.ICachePolicy, headersOf = headers): cloudfront.BehaviorOptions => ({
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      compress: true,
      cachePolicy: cachePolicyOf,
      responseHeadersPolicy: headersOf,
      functionAssociations,
    });
    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: 'Masthead site',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', certificateArn.valueAsString),
      domainNames: domainNames.valueAsList,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      defaultRootObject: 'index.html',
      defaultBehavior: behavior(pages),
      additionalBehaviors: { '/_astro/*': behavior(assets), ...(admin ? { '/admin/*': behavior(pages, admin) } : {}) },
      // Without s3:ListBucket, S3 answers a missing key with 403; readers get the site's 404 page.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 404,
        responsePagePath: '/404.html',
        ttl: maxAge(CACHE_CONTROL.revalidate),
      })),
    });

    const provider = props.githubOidcProviderArn
      ? iam.OidcProviderNative.fromOidcProviderArn(this, 'GitHub', props.githubOidcProviderArn)
      : new iam.OidcProviderNative(this, 'GitHub', {
          url: 'https://token.actions.githubusercontent.com',
          clientIds: ['sts.amazonaws.com'],
        });
    // A job that names a GitHub environment gets `repo:<owner/name>:environment:<env>` as its subject;
    // only protected environments (production: main only) can assume these roles.
    const githubRole = (id: string, environment: string) =>
      new iam.Role(this, id, {
        description: `GitHub Actions, ${props.repository}, environment ${environment}`,
        maxSessionDuration: Duration.hours(1),
        assumedBy: new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': `repo:${props.repository}:environment:${environment}`,
          },
        }),
      });
    const distributionArn = this.formatArn({
      service: 'cloudfront',
      region: '',
      resource: 'distribution',
      resourceName: this.distribution.distributionId,
    });

    // Production: write and delete site objects, read only the previous publish's manifest,
    // invalidate this distribution, keep its CSP and its redirect rules current.
    this.publishRole = githubRole('PublishRole', 'production');
    this.publishRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:DeleteObject'], resources: [this.bucket.arnForObjects('*')] }),
    );
    this.publishRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(MANIFEST_KEY)] }),
    );
    // So a missing manifest (the first publish) is a 404, not a 403.
    this.publishRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringEquals: { 's3:prefix': MANIFEST_KEY } },
      }),
    );
    this.publishRole.addToPolicy(new iam.PolicyStatement({ actions: ['cloudfront:CreateInvalidation'], resources: [distributionArn] }));
    this.publishRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudfront:GetResponseHeadersPolicyConfig', 'cloudfront:UpdateResponseHeadersPolicy'],
        resources: [
          this.formatArn({
            service: 'cloudfront',
            region: '',
            resource: 'response-headers-policy',
            resourceName: headers.responseHeadersPolicyId,
          }),
        ],
      }),
    );
    this.publishRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudfront:DescribeFunction', 'cloudfront:UpdateFunction', 'cloudfront:PublishFunction'],
        resources: [edge.functionArn],
      }),
    );

    // Previews: only under previews/, and nothing else.
    this.previewRole = githubRole('PreviewRole', 'preview');
    this.previewRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:DeleteObject', 's3:GetObject'],
        resources: [this.bucket.arnForObjects('previews/*')],
      }),
    );
    this.previewRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': 'previews/*' } },
      }),
    );

    // The values docs/publishing.md asks for, as repository and environment variables.
    new CfnOutput(this, 'S3Bucket', { value: this.bucket.bucketName });
    new CfnOutput(this, 'CloudFrontDistributionId', { value: this.distribution.distributionId });
    new CfnOutput(this, 'CloudFrontDomainName', { value: this.distribution.distributionDomainName });
    new CfnOutput(this, 'ResponseHeadersPolicyId', { value: headers.responseHeadersPolicyId });
    new CfnOutput(this, 'EdgeFunctionName', { value: edge.functionName });
    new CfnOutput(this, 'PublishRoleArn', { value: this.publishRole.roleArn });
    new CfnOutput(this, 'PreviewRoleArn', { value: this.previewRole.roleArn });
  }
}
