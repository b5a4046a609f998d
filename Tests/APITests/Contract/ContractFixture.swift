/// A small contract in the shape of the project's real one: bearer auth by default, a public health check,
/// literal-vs-parameter path precedence, components of every referable kind, and `default` responses.
enum ContractFixture {
    static let yaml = """
        openapi: 3.1.0
        info:
          title: Fixture API
          version: 1.0.0
        security:
          - bearer: []
        paths:
          /health:
            get:
              operationId: getHealth
              security: []
              responses:
                '200':
                  description: Up
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [status]
                        properties:
                          status: {type: string, enum: [ok]}
          /v1/offers:
            post:
              operationId: createOffer
              requestBody:
                $ref: '#/components/requestBodies/NewOffer'
              responses:
                '201':
                  description: Created
                  headers:
                    Location:
                      schema: {type: string}
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Offer'}
                default:
                  $ref: '#/components/responses/Problem'
          /v1/offers/{id}:
            parameters:
              - $ref: '#/components/parameters/Id'
              - name: X-Trace
                in: header
                schema: {type: string}
            get:
              operationId: getOffer
              security:
                - bearer: [offers:read]
                - {}
              parameters:
                - name: x-trace
                  in: header
                  required: true
                  schema: {type: string, maxLength: 64}
                - name: fields
                  in: query
                  schema: {type: string}
              responses:
                '200':
                  description: The offer
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Offer'}
                4XX:
                  $ref: '#/components/responses/Problem'
            delete:
              operationId: deleteOffer
              responses:
                '204':
                  description: Deleted
          /v1/matches/{id}:
            get:
              operationId: getMatch
              parameters:
                - $ref: '#/components/parameters/Id'
              responses:
                '200': {description: A match}
          /v1/matches/export:
            get:
              operationId: exportMatches
              responses:
                '200':
                  description: CSV
                  content:
                    text/csv: {}
          /v1/circles/{circleId}/members/{memberId}:
            get:
              operationId: getMember
              parameters:
                - {name: circleId, in: path, required: true, schema: {type: string}}
                - {name: memberId, in: path, required: true, schema: {type: string}}
              responses:
                default:
                  $ref: '#/components/responses/Problem'
        components:
          securitySchemes:
            bearer: {type: http, scheme: bearer}
          parameters:
            Id:
              name: id
              in: path
              required: true
              schema: {type: integer, format: int64, minimum: 1}
          requestBodies:
            NewOffer:
              required: true
              content:
                application/json:
                  schema:
                    type: object
                    additionalProperties: false
                    required: [title, quantity, available_on]
                    properties:
                      title: {type: string, minLength: 1, maxLength: 200}
                      quantity: {type: integer, minimum: 1, maximum: 5}
                      available_on: {type: string, format: date}
                      status: {$ref: '#/components/schemas/Status'}
                      toggle: {type: string, enum: [on, off, yes, no]}
          responses:
            Problem:
              description: A problem
              content:
                application/problem+json:
                  schema: {$ref: '#/components/schemas/Problem'}
          schemas:
            Status:
              type: string
              enum: [open, closed]
            Offer:
              type: object
              additionalProperties: false
              required: [id, title, status]
              properties:
                id: {type: integer, minimum: 1}
                title: {type: string}
                status: {$ref: '#/components/schemas/Status'}
                published: {type: [string, 'null'], format: date, example: 2026-01-01}
            Problem:
              type: object
              required: [title, status]
              properties:
                title: {type: string}
                status: {type: integer}
                errors:
                  type: array
                  items:
                    type: object
                    required: [pointer, message]
                    properties:
                      pointer: {type: string}
                      message: {type: string}
        """
}
